using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
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
using Bulwark.Telemetry;
using Bulwark.Contracts.IpReputation;
using Bulwark.Contracts.RecipientDirectory;
using Bulwark.NodeCaches;
using Bulwark.Policy.Recipients;

namespace Bulwark.Actors.Tests.Listener;

/// <summary>PROXY protocol on the accept path over real loopback sockets: 127.0.0.1 plays the
/// load balancer (trusted), 127.0.0.9 a client connecting directly (untrusted).</summary>
public sealed class ProxyAcceptTests : TestKit, IAsyncLifetime
{
    private const string Greeting = "220 mx.test ESMTP Bulwark";
    private const string Proxy = "127.0.0.1";
    private const string Direct = "127.0.0.9";
    private readonly string _spoolRoot = Directory.CreateTempSubdirectory("bulwark-proxy-").FullName;
    private readonly FileSpool _spool;
    private readonly BlockList _blocks = new();
    private readonly SmtpListener _listener;

    public ProxyAcceptTests()
    {
        var directory = CreateTestProbe();
        directory.SetAutoPilot(new DelegateAutoPilot((sender, message) =>
        {
            if (message is VerifyRecipient v) sender.Tell(new RecipientAnswer(v.Domain, v.LocalPart, RecipientExistence.Exists, "test"));
            return AutoPilot.KeepRunning;
        }));
        _spool = new FileSpool(_spoolRoot);
        var settings = new ListenerSettings("mx.test", new SessionLimits(), new HashSet<string> { "example.test" }, "example.test",
            TimeSpan.FromSeconds(2), ReputationEnabled: false);
        var deps = new SessionDependencies(directory, CreateTestProbe(), CreateTestProbe(), CreateTestProbe(), _spool, settings);
        _listener = new SmtpListener(new IPEndPoint(IPAddress.Loopback, 0), _blocks, Sys, deps, new SmtpTimeouts(), 16,
            Logging.GetLogger(Sys, "proxy"))
        {
            TrustedProxies = [IpNetworks.Parse($"{Proxy}/32")],
            ProxyHeaderTimeout = TimeSpan.FromMilliseconds(700),
        };
        _listener.Start();
    }

    [Fact]
    public async Task A_v1_header_from_a_trusted_proxy_makes_the_claimed_IP_the_client_of_the_session()
    {
        using var client = await LineClient.ConnectAsync(_listener, Proxy);
        // The greeting waits for the header: the balancer speaks first.
        await Task.Delay(300);
        Assert.Equal(0, client.Socket.Available);

        await client.SendAsync("PROXY TCP4 203.0.113.9 127.0.0.1 40001 25\r\n");
        Assert.Equal(Greeting, await client.ReadLineAsync());
        var received = await SendMessageAsync(client);
        Assert.Contains("([203.0.113.9])", received);
    }

    [Fact]
    public async Task A_v2_header_from_a_trusted_proxy_makes_the_claimed_IP_the_client_of_the_session()
    {
        using var client = await LineClient.ConnectAsync(_listener, Proxy);
        // Header and the client's first command in one segment, as a balancer may send them.
        await client.SendAsync([.. V2Header(IPAddress.Parse("198.51.100.23"), 40002), .. "HELO client.test\r\n"u8]);

        Assert.Equal(Greeting, await client.ReadLineAsync());
        Assert.Equal("250 mx.test", await client.ReadLineAsync());
        var received = await SendMessageAsync(client, helo: false);
        Assert.Contains("([198.51.100.23])", received);
    }

    [Fact]
    public async Task A_blocked_claimed_IP_gets_421_while_the_proxy_itself_is_not_blocked()
    {
        _blocks.Apply(new IpBlocked("203.0.113.66", DateTimeOffset.UtcNow.AddMinutes(5), "test", 1));
        using (var blocked = await LineClient.ConnectAsync(_listener, Proxy))
        {
            await blocked.SendAsync("PROXY TCP4 203.0.113.66 127.0.0.1 40003 25\r\n");
            Assert.Equal(["421 4.7.0 too much abuse from your address, try again later"], await blocked.ReadToEndAsync());
        }
        Assert.Equal(1, _listener.RefusedAtGate);

        using var other = await LineClient.ConnectAsync(_listener, Proxy);
        await other.SendAsync("PROXY TCP4 203.0.113.67 127.0.0.1 40004 25\r\n");
        Assert.Equal(Greeting, await other.ReadLineAsync());
    }

    [Fact]
    public async Task A_v2_LOCAL_health_check_is_served_as_the_proxy_itself()
    {
        using var client = await LineClient.ConnectAsync(_listener, Proxy);
        await client.SendAsync([.. Signature, 0x20, 0x00, 0x00, 0x00]);
        Assert.Equal(Greeting, await client.ReadLineAsync());
    }

    [Fact]
    public async Task An_untrusted_client_is_greeted_at_once_and_its_PROXY_line_is_a_bad_command()
    {
        using var client = await LineClient.ConnectAsync(_listener, Direct);
        Assert.Equal(Greeting, await client.ReadLineAsync());

        await client.SendAsync("PROXY TCP4 192.0.2.1 127.0.0.1 40005 25\r\n");
        Assert.Equal("500 5.5.2 syntax error, command unrecognised", await client.ReadLineAsync());
        var received = await SendMessageAsync(client);
        Assert.Contains($"([{Direct}])", received);
    }

    [Fact]
    public async Task A_trusted_peer_that_sends_no_PROXY_header_is_closed_without_a_reply()
    {
        using var client = await LineClient.ConnectAsync(_listener, Proxy);
        await client.SendAsync("EHLO client.test\r\n");
        Assert.Empty(await client.ReadToEndAsync());
    }

    [Fact]
    public async Task A_trusted_peer_that_sends_a_malformed_header_is_closed_without_a_reply()
    {
        var errors = BulwarkMetrics.Connections.Labels("proxy-error").Value;
        using var client = await LineClient.ConnectAsync(_listener, Proxy);
        await client.SendAsync("PROXY TCP4 not-an-ip 127.0.0.1 1 25\r\n");
        Assert.Empty(await client.ReadToEndAsync());
        Assert.True(BulwarkMetrics.Connections.Labels("proxy-error").Value > errors);
    }

    [Fact]
    public async Task A_trusted_peer_that_sends_nothing_is_closed_when_the_header_times_out()
    {
        var clock = Stopwatch.StartNew();
        using var client = await LineClient.ConnectAsync(_listener, Proxy);
        Assert.Empty(await client.ReadToEndAsync());
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(600), TimeSpan.FromSeconds(5));
        // The slot is given back just after the close the client saw.
        var deadline = DateTime.UtcNow.AddSeconds(2);
        while (_listener.OpenConnections > 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Equal(0, _listener.OpenConnections);
    }

    private static readonly byte[] Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    /// <summary>A v2 PROXY TCP over IPv4 header (no TLVs) from <paramref name="source"/> to 127.0.0.1:25.</summary>
    private static byte[] V2Header(IPAddress source, ushort port)
    {
        var header = new byte[16 + 12];
        Signature.CopyTo(header, 0);
        header[12] = 0x21; // version 2, PROXY
        header[13] = 0x11; // TCP over IPv4
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), 12);
        source.GetAddressBytes().CopyTo(header, 16);
        IPAddress.Loopback.GetAddressBytes().CopyTo(header, 20);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(24), port);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(26), 25);
        return header;
    }

    /// <summary>Sends one message and returns what the spool stored (trace header included).</summary>
    private async Task<string> SendMessageAsync(LineClient client, bool helo = true)
    {
        if (helo)
        {
            await client.SendAsync("HELO client.test\r\n");
            Assert.Equal("250 mx.test", await client.ReadLineAsync());
        }
        await client.SendAsync("MAIL FROM:<a@sender.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n");
        Assert.StartsWith("250 ", await client.ReadLineAsync());
        Assert.StartsWith("250 ", await client.ReadLineAsync());
        Assert.StartsWith("354 ", await client.ReadLineAsync());
        await client.SendAsync("Subject: hi\r\n\r\nhello\r\n.\r\n");
        var queued = await client.ReadLineAsync();
        Assert.StartsWith("250 2.0.0 queued as ", queued);
        using var reader = new StreamReader(_spool.OpenBody(queued!["250 2.0.0 queued as ".Length..]));
        return await reader.ReadToEndAsync();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _listener.DisposeAsync();
        _spool.Dispose();
        try { Directory.Delete(_spoolRoot, recursive: true); } catch (IOException) { }
    }
}
