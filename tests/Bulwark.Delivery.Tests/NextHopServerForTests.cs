using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bulwark.Delivery.Tests;

/// <summary>
/// A scripted SMTP next hop on 127.0.0.1 that counts what connection reuse is about: sessions
/// opened, MAIL transactions, messages taken, QUITs. It can refuse MAIL (e.g. 421 then close),
/// drop a session at MAIL or after DATA, and drop every open session on demand.
/// </summary>
public sealed class NextHopTestServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<int, TcpClient> _open = new();
    private readonly Task _acceptLoop;
    private int _connections, _mails, _quits, _closed, _dropAtMail;

    public NextHopTestServer(bool pipelining = true)
    {
        Pipelining = pipelining;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoop();
    }

    public int Port { get; }
    public bool Pipelining { get; }

    public int Connections => Volatile.Read(ref _connections);
    public int Mails => Volatile.Read(ref _mails);
    public int Quits => Volatile.Read(ref _quits);
    public int Closed => Volatile.Read(ref _closed);
    public int OpenNow => _open.Count;

    /// <summary>Messages taken (250 after DATA): queue id from the Subject, session number.</summary>
    public ConcurrentQueue<(string Subject, IReadOnlyList<string> Recipients, int Session)> Messages { get; } = new();

    public ConcurrentDictionary<string, string> RcptReplies { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Reply to the next MAIL commands (then back to 250); a 421 also closes the session.</summary>
    public ConcurrentQueue<string> MailReplies { get; } = new();

    /// <summary>The next N MAIL commands get no reply: the session is closed instead.</summary>
    public void DropAtNextMails(int count) => Interlocked.Exchange(ref _dropAtMail, count);

    /// <summary>After DATA's dot, close without the final reply (the message was read, its fate unknown).</summary>
    public bool CloseAfterData { get; set; }

    /// <summary>Closes every open session from the server side, as a restarting next hop would.</summary>
    public async Task DropAllAsync()
    {
        foreach (var (id, c) in _open) { c.Client.Close(); _open.TryRemove(id, out _); }
        await TestMail.Eventually(() => _open.IsEmpty, TimeSpan.FromSeconds(5), "server sessions closed");
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (var c in _open.Values) c.Dispose();
        try { await _acceptLoop; } catch (Exception) { }
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            // Replies are separate small writes: Nagle would hold each for the client's delayed ACK.
            client.NoDelay = true;
            var id = Interlocked.Increment(ref _connections);
            _open[id] = client;
            _ = Task.Run(() => Serve(client, id));
        }
    }

    private async Task Serve(TcpClient client, int session)
    {
        try
        {
            using var _ = client;
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.Latin1);
            async Task Reply(string line) => await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"));
            var rcpts = new List<string>();
            await Reply("220 nexthop.test ESMTP");
            while (await reader.ReadLineAsync() is { } line)
            {
                switch (line.Split(' ', 2)[0].ToUpperInvariant())
                {
                    case "EHLO": await Reply(Pipelining ? "250-nexthop.test\r\n250-PIPELINING\r\n250 8BITMIME" : "250-nexthop.test\r\n250 8BITMIME"); break;
                    case "MAIL":
                        Interlocked.Increment(ref _mails);
                        rcpts.Clear();
                        if (Interlocked.Decrement(ref _dropAtMail) >= 0) return;
                        var reply = MailReplies.TryDequeue(out var r) ? r : "250 2.1.0 Ok";
                        await Reply(reply);
                        if (reply.StartsWith("421", StringComparison.Ordinal)) return;
                        break;
                    case "RCPT":
                        var rcpt = line[(line.IndexOf('<') + 1)..line.IndexOf('>')];
                        if (RcptReplies.TryGetValue(rcpt, out var rr)) { await Reply(rr); break; }
                        rcpts.Add(rcpt);
                        await Reply("250 2.1.5 Ok");
                        break;
                    case "DATA":
                        if (rcpts.Count == 0) { await Reply("554 5.5.1 no valid recipients"); break; }
                        await Reply("354 go ahead");
                        var subject = "";
                        while (await reader.ReadLineAsync() is { } d && d != ".")
                            if (d.StartsWith("Subject: ", StringComparison.Ordinal)) subject = d[9..];
                        if (CloseAfterData) { Messages.Enqueue((subject, rcpts.ToList(), session)); return; }
                        Messages.Enqueue((subject, rcpts.ToList(), session));
                        await Reply("250 2.0.0 Ok queued");
                        break;
                    case "RSET": rcpts.Clear(); await Reply("250 2.0.0 Ok"); break;
                    case "NOOP": await Reply("250 2.0.0 Ok"); break;
                    case "QUIT": Interlocked.Increment(ref _quits); await Reply("221 2.0.0 Bye"); return;
                    default: await Reply("502 5.5.2 unknown command"); break;
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException) { }
        finally
        {
            _open.TryRemove(session, out _);
            Interlocked.Increment(ref _closed);
        }
    }
}
