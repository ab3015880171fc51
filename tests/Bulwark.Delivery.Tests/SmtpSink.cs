using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bulwark.Delivery.Tests;

public sealed record SinkMessage(string MailFrom, IReadOnlyList<string> Recipients, byte[] Data);

/// <summary>
/// A small real SMTP server on 127.0.0.1 for tests: EHLO/HELO, MAIL, RCPT, DATA (dot-unstuffed,
/// bytes kept exactly), RSET, NOOP, QUIT. Replies to chosen recipients, MAIL or DATA can be set.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    public SmtpSink(int port = 0)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoop();
    }

    public int Port { get; }

    /// <summary>Recipient (lower case) -> full reply line, e.g. "550 5.1.1 no such user".</summary>
    public ConcurrentDictionary<string, string> RcptReplies { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? MailReply { get; set; }
    public string? DataReply { get; set; }

    public ConcurrentQueue<SinkMessage> Messages { get; } = new();
    public ConcurrentQueue<string> Commands { get; } = new();

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _acceptLoop; } catch (Exception) { }
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var reader = new LineReader(stream);
        async Task Reply(string line) => await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"));
        string? from = null;
        var rcpts = new List<string>();
        try
        {
            await Reply("220 sink.test ESMTP");
            while (await reader.ReadLineAsync() is { } raw)
            {
                var line = Encoding.UTF8.GetString(raw);
                Commands.Enqueue(line);
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO": await Reply("250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8"); break;
                    case "HELO": await Reply("250 sink.test"); break;
                    case "MAIL":
                        from = Between(line);
                        rcpts.Clear();
                        await Reply(MailReply ?? "250 2.1.0 Ok");
                        break;
                    case "RCPT":
                        var rcpt = Between(line);
                        if (RcptReplies.TryGetValue(rcpt, out var r)) { await Reply(r); break; }
                        rcpts.Add(rcpt);
                        await Reply("250 2.1.5 Ok");
                        break;
                    case "DATA":
                        if (from is null || rcpts.Count == 0) { await Reply("503 5.5.1 no valid recipients"); break; }
                        await Reply("354 go ahead");
                        var data = await ReadData(reader);
                        if (DataReply is { } dr) { await Reply(dr); break; }
                        Messages.Enqueue(new SinkMessage(from, rcpts.ToList(), data));
                        await Reply("250 2.0.0 Ok queued");
                        break;
                    case "RSET": from = null; rcpts.Clear(); await Reply("250 2.0.0 Ok"); break;
                    case "NOOP": await Reply("250 2.0.0 Ok"); break;
                    case "QUIT": await Reply("221 2.0.0 Bye"); return;
                    default: await Reply("502 5.5.2 unknown command"); break;
                }
            }
        }
        catch (IOException) { }
    }

    private static async Task<byte[]> ReadData(LineReader reader)
    {
        var ms = new MemoryStream();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line is [(byte)'.']) break;
            var start = line.Length > 0 && line[0] == '.' ? 1 : 0;
            ms.Write(line, start, line.Length - start);
            ms.Write("\r\n"u8);
        }
        return ms.ToArray();
    }

    private static string Between(string line)
    {
        var a = line.IndexOf('<');
        var b = line.IndexOf('>', a + 1);
        return a >= 0 && b > a ? line[(a + 1)..b] : "";
    }

    /// <summary>Reads CRLF-terminated lines as raw bytes (without the CRLF).</summary>
    private sealed class LineReader(Stream stream)
    {
        private readonly byte[] _buf = new byte[8192];
        private int _pos, _len;

        public async Task<byte[]?> ReadLineAsync()
        {
            var line = new MemoryStream();
            while (true)
            {
                if (_pos == _len)
                {
                    _len = await stream.ReadAsync(_buf);
                    _pos = 0;
                    if (_len == 0) return null;
                }
                var b = _buf[_pos++];
                if (b == '\n')
                {
                    var bytes = line.ToArray();
                    return bytes.Length > 0 && bytes[^1] == '\r' ? bytes[..^1] : bytes;
                }
                line.WriteByte(b);
            }
        }
    }
}
