using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bulwark.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A byte-exact SMTP client for protocol tests: it can bind a chosen loopback source address
/// (to play several clients), send anything, and read replies line by line.
/// </summary>
public sealed class RawSmtpClient : IDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;

    private RawSmtpClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _reader = new StreamReader(_stream, Encoding.Latin1);
    }

    public static async Task<RawSmtpClient> ConnectAsync(int port, string sourceAddress = "127.0.0.1")
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(sourceAddress), 0));
        await socket.ConnectAsync(IPAddress.Loopback, port);
        return new RawSmtpClient(socket);
    }

    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>One full reply (all lines of a multi-line reply), or null when the server closed.</summary>
    public async Task<string?> ReadReplyAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        var lines = new List<string>();
        while (true)
        {
            var line = await _reader.ReadLineAsync(cts.Token);
            if (line is null) return lines.Count == 0 ? null : string.Join("\n", lines);
            lines.Add(line);
            if (line.Length < 4 || line[3] != '-') return string.Join("\n", lines);
        }
    }

    public async Task<string?> CommandAsync(string line)
    {
        await SendAsync(line + "\r\n");
        return await ReadReplyAsync();
    }

    /// <summary>True when the server has closed the connection (reads end of stream).</summary>
    public async Task<bool> IsClosedAsync(TimeSpan timeout)
    {
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            var line = await _reader.ReadLineAsync(cts.Token);
            return line is null;
        }
        catch (IOException) { return true; }
        catch (OperationCanceledException) { return false; }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _stream.Dispose();
        _socket.Dispose();
    }
}
