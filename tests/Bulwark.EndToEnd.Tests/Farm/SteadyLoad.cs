using System.Collections.Concurrent;
using System.Net.Sockets;
using Bulwark.EndToEnd.Tests.Infrastructure;

namespace Bulwark.EndToEnd.Tests.Farm;

/// <summary>
/// Steady legitimate SMTP load for the farm tests: client loops, each sending one message per
/// connection with a unique Subject, rotating over the listeners, the loopback source addresses
/// and the valid recipients. It records every SMTP reply class; a connection that fails or is
/// cut (a killed listener) is a connection failure, not an SMTP reply. Stop before disposing the farm.
/// </summary>
public sealed class SteadyLoad
{
    /// <summary>Ten client addresses: ten IpReputation entities, spread over several shards.</summary>
    public static readonly string[] Sources = Enumerable.Range(40, 10).Select(i => $"127.0.0.{i}").ToArray();
    /// <summary>Catch-all domains added to example.test, so RecipientDirectory has several entities too.</summary>
    public static readonly string[] ExtraDomains = Enumerable.Range(1, 6).Select(i => $"load{i}.test").ToArray();
    public static readonly string[] Recipients =
        ["alice@example.test", "bob@example.test", "carol@example.test", "postmaster@example.test", .. ExtraDomains.Select(d => $"user@{d}")];

    /// <summary>Node settings for a farm under this load: relay to the sink, retry soon, accept the
    /// extra domains, and no per-IP connection limit in the way of ten busy clients.</summary>
    public static Dictionary<string, string> FarmEnvironment(SmtpSink sink)
    {
        var environment = new Dictionary<string, string>
        {
            ["BULWARK_Delivery__NextHop__Host"] = "127.0.0.1",
            ["BULWARK_Delivery__NextHop__Port"] = sink.Port.ToString(),
            ["BULWARK_Delivery__InitialRetrySeconds"] = "1",
            ["BULWARK_Reputation__MaxConnectionsPerIp"] = "10000",
        };
        for (var i = 0; i < ExtraDomains.Length; i++)
        {
            environment[$"BULWARK_Domains__{i + 1}__Name"] = ExtraDomains[i];
            environment[$"BULWARK_Domains__{i + 1}__CatchAll"] = "true";
        }
        return environment;
    }

    private readonly List<int> _ports;
    private readonly string[] _sources;
    private readonly string[] _recipients;
    private readonly TimeSpan _pause;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly string _run = Guid.NewGuid().ToString("N")[..6];
    private int _sequence;
    private int _attempts, _temporary, _connectionFailures;

    private SteadyLoad(IEnumerable<int> ports, string[] sources, string[] recipients, TimeSpan pause)
    {
        _ports = ports.ToList();
        _sources = sources;
        _recipients = recipients;
        _pause = pause;
    }

    /// <summary>Subject → the listener port that answered 250 to its DATA.</summary>
    public ConcurrentDictionary<string, int> Acknowledged { get; } = new();
    /// <summary>Every 5xx seen, with the command that got it: legitimate mail must never get one.</summary>
    public ConcurrentQueue<string> PermanentReplies { get; } = new();
    public ConcurrentQueue<string> TemporaryReplies { get; } = new();
    public int Attempts => _attempts;
    public int Temporary => _temporary;
    public int ConnectionFailures => _connectionFailures;
    /// <summary>The connection failures that were not a refused connect: a session cut after the
    /// listener accepted it (reset, closed or silent mid-conversation), with its port and why.</summary>
    public ConcurrentQueue<string> CutSessions { get; } = new();

    public static SteadyLoad Start(int loops, IEnumerable<int> ports, string[] sources, string[] recipients, TimeSpan pause)
    {
        var load = new SteadyLoad(ports, sources, recipients, pause);
        for (var i = 0; i < loops; i++)
        {
            var loop = i;
            load._loops.Add(Task.Run(() => load.LoopAsync(loop)));
        }
        return load;
    }

    /// <summary>A listener that joined: the loops include it from their next message.</summary>
    public void AddTarget(int port)
    {
        lock (_ports) _ports.Add(port);
    }

    public async Task StopAsync()
    {
        _stop.Cancel();
        await Task.WhenAll(_loops);
    }

    public string Figures() =>
        $"attempts={Attempts} acknowledged={Acknowledged.Count} 4xx={Temporary} 5xx={PermanentReplies.Count} connection-failures={ConnectionFailures}";

    private async Task LoopAsync(int loop)
    {
        for (var i = 0; !_stop.IsCancellationRequested; i++)
        {
            var n = Interlocked.Increment(ref _sequence);
            int port;
            lock (_ports) port = _ports[(loop + i) % _ports.Count];
            var subject = $"load-{_run}-{n}";
            Interlocked.Increment(ref _attempts);
            try
            {
                await SendOneAsync(port, _sources[n % _sources.Length], _recipients[n % _recipients.Length], subject);
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                // Refused, reset or silent: the listener is gone (or going), not an SMTP answer.
                Interlocked.Increment(ref _connectionFailures);
                if (e is not SocketException { SocketErrorCode: SocketError.ConnectionRefused })
                    CutSessions.Enqueue($":{port}: {e.GetType().Name}: {e.Message}");
            }
            try { await Task.Delay(_pause, _stop.Token); } catch (OperationCanceledException) { }
        }
    }

    private async Task SendOneAsync(int port, string source, string recipient, string subject)
    {
        using var client = await RawSmtpClient.ConnectAsync(port, source);
        var timeout = TimeSpan.FromSeconds(20);
        if (!Accepted(await client.ReadReplyAsync(timeout), "greeting", port, "220")) return;
        await client.SendAsync("EHLO load.test\r\n");
        if (!Accepted(await client.ReadReplyAsync(timeout), "EHLO", port, "250")) return;
        await client.SendAsync("MAIL FROM:<sender@remote.test>\r\n");
        if (!Accepted(await client.ReadReplyAsync(timeout), "MAIL", port, "250")) return;
        await client.SendAsync($"RCPT TO:<{recipient}>\r\n");
        if (!Accepted(await client.ReadReplyAsync(timeout), $"RCPT {recipient}", port, "250")) return;
        await client.SendAsync("DATA\r\n");
        if (!Accepted(await client.ReadReplyAsync(timeout), "DATA", port, "354")) return;
        await client.SendAsync($"Subject: {subject}\r\nTo: <{recipient}>\r\n\r\nsteady load {subject}\r\n.\r\n");
        if (!Accepted(await client.ReadReplyAsync(timeout), "end of data", port, "250")) return;
        Acknowledged[subject] = port;
        try { await client.SendAsync("QUIT\r\n"); } catch (IOException) { } catch (SocketException) { }
    }

    /// <summary>True when the reply is the expected one; counts 4xx and 5xx; a closed
    /// connection (null) is a connection failure, thrown as such.</summary>
    private bool Accepted(string? reply, string step, int port, string expected)
    {
        if (reply is null) throw new IOException($"connection closed at {step}");
        if (reply.StartsWith(expected, StringComparison.Ordinal)) return true;
        var line = $"{step} at :{port}: {reply}";
        if (reply.StartsWith('4'))
        {
            Interlocked.Increment(ref _temporary);
            TemporaryReplies.Enqueue(line);
        }
        else PermanentReplies.Enqueue(line); // a 5xx, or anything else unexpected
        return false;
    }
}
