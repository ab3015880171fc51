using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bulwark.EndToEnd.Tests.HostileLoad;

/// <summary>
/// A bare async socket that reads SMTP replies: cheap enough to hold a thousand at once
/// (no stream or reader per connection), and bound to a chosen loopback source address so
/// that one test process plays many client IPs.
/// </summary>
public sealed class LineSocket : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[512];
    private readonly StringBuilder _pending = new();

    private LineSocket(Socket socket) => _socket = socket;

    public static async Task<LineSocket> ConnectAsync(int port, string sourceAddress, CancellationToken cancel)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Parse(sourceAddress), 0));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancel);
            return new LineSocket(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The last line of the next reply (continuation lines are skipped), or null at end of stream.</summary>
    public async Task<string?> ReadReplyAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var text = _pending.ToString();
            var end = text.IndexOf('\n');
            if (end >= 0)
            {
                _pending.Remove(0, end + 1);
                var line = text[..end].TrimEnd('\r');
                if (line.Length >= 4 && line[3] == '-') continue;
                return line;
            }
            var read = await _socket.ReceiveAsync(_buffer, SocketFlags.None, cts.Token);
            if (read == 0) return _pending.Length > 0 ? _pending.ToString() : null;
            _pending.Append(Encoding.ASCII.GetString(_buffer, 0, read));
        }
    }

    /// <summary>False when the peer has gone (the write failed).</summary>
    public async Task<bool> TrySendAsync(string text)
    {
        try
        {
            await _socket.SendAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None);
            return true;
        }
        catch (SocketException) { return false; }
        catch (ObjectDisposedException) { return false; }
    }

    public void Dispose() => _socket.Dispose();
}
