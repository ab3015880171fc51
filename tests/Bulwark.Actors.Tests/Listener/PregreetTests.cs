using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.Actor;
using Akka.Event;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Bulwark.Delivery.Spool;
using Bulwark.Listener.Gate;
using Bulwark.Listener.Protocol;
using Bulwark.Listener.Sessions;
using Bulwark.Policy.Reputation;
using Bulwark.Policy.Sessions;
using Bulwark.Policy.Verdicts;
using Bulwark.Telemetry;
using Bulwark.Contracts.IpReputation;
using Bulwark.Contracts.RecipientDirectory;
using Bulwark.NodeCaches;
using Bulwark.Policy.Recipients;

namespace Bulwark.Actors.Tests.Listener;

/// <summary>The early-talker test over real loopback sockets, with the reputation entity played
/// by a probe that admits everyone and records the evidence it is told.</summary>
public sealed class PregreetTests : TestKit, IAsyncLifetime
{
    private const string Greeting = "220 mx.test ESMTP Bulwark";
    private readonly string _spoolRoot = Directory.CreateTempSubdirectory("bulwark-pregreet-").FullName;
    private readonly TestProbe _reputation;
    private readonly SessionDependencies _deps;
    private SmtpListener? _listener;

    public PregreetTests()
    {
        _reputation = CreateTestProbe();
        _reputation.SetAutoPilot(new DelegateAutoPilot((sender, message) =>
        {
            if (message is OpenConnection open) sender.Tell(new ConnectionAdmission(open.IpKey, true, 1));
            return AutoPilot.KeepRunning;
        }));
        var directory = CreateTestProbe();
        directory.SetAutoPilot(new DelegateAutoPilot((sender, message) =>
        {
            if (message is VerifyRecipient v) sender.Tell(new RecipientAnswer(v.Domain, v.LocalPart, RecipientExistence.Exists, "test"));
            return AutoPilot.KeepRunning;
        }));
        var settings = new ListenerSettings("mx.test", new SessionLimits(), new HashSet<string> { "example.test" }, "example.test",
            TimeSpan.FromSeconds(2), ReputationEnabled: true);
        _deps = new SessionDependencies(directory, _reputation, CreateTestProbe(), CreateTestProbe(), new FileSpool(_spoolRoot), settings);
    }

    private SmtpListener Start(PregreetOptions pregreet)
    {
        _listener = new SmtpListener(new IPEndPoint(IPAddress.Loopback, 0), new BlockList(), Sys, _deps, new SmtpTimeouts(), 16,
            Logging.GetLogger(Sys, "pregreet")) { Pregreet = pregreet };
        _listener.Start();
        return _listener;
    }

    [Fact]
    public async Task A_polite_client_gets_the_banner_line_at_once_and_the_220_after_the_pause()
    {
        var listener = Start(new PregreetOptions { Pause = TimeSpan.FromSeconds(1.5) });
        var clock = Stopwatch.StartNew();
        using var client = await LineClient.ConnectAsync(listener, "127.0.0.2");

        Assert.Equal("220-mx.test ESMTP", await client.ReadLineAsync());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"banner line after {clock.Elapsed}");
        Assert.Equal(Greeting, await client.ReadLineAsync());
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.4), $"greeting after {clock.Elapsed}");

        // The watch consumed nothing and left the socket usable.
        await client.SendAsync("HELO client.test\r\n");
        Assert.Equal("250 mx.test", await client.ReadLineAsync());
        await client.SendAsync("QUIT\r\n");
        Assert.Equal("221 2.0.0 bye", await client.ReadLineAsync());
        Assert.DoesNotContain(_reputation.ReceiveWhile(TimeSpan.FromMilliseconds(200), m => m), m => m is ReportEvidence);
    }

    [Fact]
    public async Task A_client_that_talks_after_the_banner_line_gets_554_is_closed_and_reported()
    {
        var listener = Start(new PregreetOptions { Pause = TimeSpan.FromSeconds(5) });
        using var client = await LineClient.ConnectAsync(listener, "127.0.0.3");
        Assert.Equal("220-mx.test ESMTP", await client.ReadLineAsync());
        var clock = Stopwatch.StartNew();
        var counted = BulwarkMetrics.Connections.Labels("pregreet").Value;

        await client.SendAsync("EHLO spammer.test\r\n");

        Assert.Equal("554 5.5.1 protocol violation: talked before the greeting", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"refused after {clock.Elapsed}; the pause was not cut short");
        Assert.True(BulwarkMetrics.Connections.Labels("pregreet").Value > counted);
        var evidence = await _reputation.FishForMessageAsync<ReportEvidence>(m => m is ReportEvidence, TimeSpan.FromSeconds(3));
        Assert.Equal(new ReportEvidence("127.0.0.3", Evidence.EarlyTalker, evidence.At), evidence);
    }

    [Fact]
    public async Task Without_the_banner_line_a_client_that_speaks_first_gets_only_the_554()
    {
        var listener = Start(new PregreetOptions { Pause = TimeSpan.FromSeconds(5), MultilineBanner = false });
        using var client = await LineClient.ConnectAsync(listener, "127.0.0.4");
        await client.SendAsync("EHLO spammer.test\r\n");

        Assert.Equal(["554 5.5.1 protocol violation: talked before the greeting"], await client.ReadToEndAsync());
        var evidence = await _reputation.FishForMessageAsync<ReportEvidence>(m => m is ReportEvidence, TimeSpan.FromSeconds(3));
        Assert.Equal(Evidence.EarlyTalker, evidence.Evidence);
        Assert.Equal("127.0.0.4", evidence.IpKey);
    }

    [Fact]
    public async Task A_skip_network_is_greeted_at_once()
    {
        var listener = Start(new PregreetOptions { Pause = TimeSpan.FromSeconds(5), SkipNetworks = [IpNetworks.Parse("127.0.0.5/32")] });
        var clock = Stopwatch.StartNew();
        using var client = await LineClient.ConnectAsync(listener, "127.0.0.5");
        Assert.Equal(Greeting, await client.ReadLineAsync());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"greeting after {clock.Elapsed}");
    }

    [Fact]
    public async Task After_a_message_is_accepted_the_same_IP_is_greeted_at_once()
    {
        var listener = Start(new PregreetOptions { Pause = TimeSpan.FromSeconds(3), MultilineBanner = false });
        using (var first = await LineClient.ConnectAsync(listener, "127.0.0.6"))
        {
            Assert.Equal(Greeting, await first.ReadLineAsync());
            await first.SendAsync("HELO client.test\r\nMAIL FROM:<a@sender.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n");
            Assert.Equal("250 mx.test", await first.ReadLineAsync());
            Assert.StartsWith("250 ", await first.ReadLineAsync());
            Assert.StartsWith("250 ", await first.ReadLineAsync());
            Assert.StartsWith("354 ", await first.ReadLineAsync());
            await first.SendAsync("Subject: hi\r\n\r\nhello\r\n.\r\n");
            Assert.StartsWith("250 2.0.0 queued as", await first.ReadLineAsync());
        }
        Assert.NotNull(listener.RecentlyAccepted.LastAccepted("127.0.0.6", DateTimeOffset.UtcNow));

        var clock = Stopwatch.StartNew();
        using var again = await LineClient.ConnectAsync(listener, "127.0.0.6");
        Assert.Equal(Greeting, await again.ReadLineAsync());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"greeting after {clock.Elapsed}");
    }

    [Fact]
    public async Task With_no_pause_the_socket_is_not_watched_and_a_pipelining_client_is_served()
    {
        var listener = Start(new PregreetOptions());
        using var client = await LineClient.ConnectAsync(listener, "127.0.0.7");
        await client.SendAsync("HELO client.test\r\n");

        Assert.Equal(Greeting, await client.ReadLineAsync());
        Assert.Equal("250 mx.test", await client.ReadLineAsync());
        Assert.DoesNotContain(_reputation.ReceiveWhile(TimeSpan.FromMilliseconds(200), m => m), m => m is ReportEvidence);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_listener is not null) await _listener.DisposeAsync();
        (_deps.Spool as IDisposable)?.Dispose();
        try { Directory.Delete(_spoolRoot, recursive: true); } catch (IOException) { }
    }
}

/// <summary>The node-local good history behind the pregreet skip.</summary>
public sealed class RecentlyAcceptedPregreetTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Remembers_an_IP_until_the_TTL_passes()
    {
        var recent = new RecentlyAccepted(10, TimeSpan.FromHours(24));
        recent.Record("192.0.2.1", Now);
        Assert.Equal(Now, recent.LastAccepted("192.0.2.1", Now.AddHours(23)));
        Assert.Null(recent.LastAccepted("192.0.2.1", Now.AddHours(24)));
        Assert.Equal(0, recent.Count);
        Assert.Null(recent.LastAccepted("192.0.2.2", Now));
    }

    [Fact]
    public void Stays_within_its_capacity_forgetting_the_least_recently_accepted()
    {
        var recent = new RecentlyAccepted(3, TimeSpan.FromHours(24));
        recent.Record("192.0.2.1", Now);
        recent.Record("192.0.2.2", Now);
        recent.Record("192.0.2.3", Now);
        recent.Record("192.0.2.1", Now.AddMinutes(1)); // accepted again: now the most recent
        recent.Record("192.0.2.4", Now.AddMinutes(2));

        Assert.Equal(3, recent.Count);
        Assert.Null(recent.LastAccepted("192.0.2.2", Now.AddMinutes(3)));
        Assert.Equal(Now.AddMinutes(1), recent.LastAccepted("192.0.2.1", Now.AddMinutes(3)));
        Assert.NotNull(recent.LastAccepted("192.0.2.3", Now.AddMinutes(3)));
        Assert.NotNull(recent.LastAccepted("192.0.2.4", Now.AddMinutes(3)));
    }
}

/// <summary>A raw line client bound to a chosen loopback source address.</summary>
internal sealed class LineClient(Socket socket) : IDisposable
{
    private readonly List<byte> _pending = new();

    public Socket Socket => socket;

    public static async Task<LineClient> ConnectAsync(SmtpListener listener, string source)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
        await socket.ConnectAsync(listener.LocalEndpoint!);
        return new LineClient(socket);
    }

    public Task SendAsync(string text) => SendAsync(Encoding.ASCII.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        var sent = 0;
        while (sent < bytes.Length)
            sent += await socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None);
    }

    /// <summary>The next line without its CRLF; null when the server closed (FIN or RST).</summary>
    public async Task<string?> ReadLineAsync(double patienceSeconds = 10)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(patienceSeconds));
        var buffer = new byte[4096];
        while (true)
        {
            var lf = _pending.IndexOf((byte)'\n');
            if (lf >= 0)
            {
                var line = Encoding.ASCII.GetString(_pending.GetRange(0, lf).ToArray());
                _pending.RemoveRange(0, lf + 1);
                Assert.EndsWith("\r", line);
                return line[..^1];
            }
            int read;
            try { read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token); }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset) { read = 0; }
            if (read == 0)
            {
                Assert.Empty(_pending);
                return null;
            }
            _pending.AddRange(buffer.AsSpan(0, read).ToArray());
        }
    }

    public async Task<List<string>> ReadToEndAsync()
    {
        var lines = new List<string>();
        while (await ReadLineAsync() is { } line) lines.Add(line);
        return lines;
    }

    public void Dispose() => socket.Dispose();
}
