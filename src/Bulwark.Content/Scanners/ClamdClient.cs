using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Bulwark.Policy.Content;

namespace Bulwark.Content.Scanners;

/// <summary>
/// clamd's INSTREAM command over TCP ("host:port", "[v6]:port") or a unix socket (a path
/// starting with '/', or "unix:/path"). One connection per scan: clamd's session mode buys
/// nothing at our rates and a fresh connection cannot be left in a half-read state.
/// Never throws for clamd's failures (only for the caller's own cancellation): any problem
/// becomes <see cref="ScanStatus.Unavailable"/> with the reason in Problem.
/// </summary>
public sealed class ClamdClient
{
    public const int DefaultChunkSize = 64 * 1024;
    /// <summary>Starts the Problem of an ERROR answer: clamd is up but would not scan this message.</summary>
    public const string ErrorReplyPrefix = "clamd refused: ";
    private const int MaxReplyBytes = 4096;

    private readonly EndPoint _endPoint;
    private readonly int _chunkSize;

    public ClamdClient(string endpoint, TimeSpan timeout, int chunkSize = DefaultChunkSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        Endpoint = endpoint;
        Timeout = timeout;
        _chunkSize = chunkSize;
        _endPoint = ParseEndpoint(endpoint);
    }

    public string Endpoint { get; }
    /// <summary>Covers connect, sending the message and clamd's answer together.</summary>
    public TimeSpan Timeout { get; }

    public static EndPoint ParseEndpoint(string endpoint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoint);
        if (endpoint.StartsWith("unix:", StringComparison.OrdinalIgnoreCase)) return new UnixDomainSocketEndPoint(endpoint[5..]);
        if (endpoint.StartsWith('/')) return new UnixDomainSocketEndPoint(endpoint);
        var colon = endpoint.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(endpoint[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new FormatException($"clamd endpoint '{endpoint}' is neither host:port nor a unix socket path");
        var host = endpoint[..colon].Trim('[', ']');
        return IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port);
    }

    /// <summary>Sends zPING and expects PONG: true when clamd is up.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(Timeout);
        try
        {
            using var socket = await ConnectAsync(cts.Token);
            await socket.SendAsync("zPING\0"u8.ToArray(), SocketFlags.None, cts.Token);
            return await ReadReplyAsync(socket, cts.Token) == "PONG";
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public async Task<VirusScan> ScanAsync(Stream message, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(Timeout);
        try
        {
            using var socket = await ConnectAsync(cts.Token);
            await socket.SendAsync("zINSTREAM\0"u8.ToArray(), SocketFlags.None, cts.Token);
            try
            {
                await SendChunksAsync(socket, message, cts.Token);
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                // clamd answers and closes as soon as the stream passes StreamMaxLength, while
                // we are still sending: the write fails but its answer is waiting to be read.
                var early = await ReadReplyAsync(socket, cts.Token);
                return early.Length > 0 ? ParseReply(early) : new VirusScan(ScanStatus.Unavailable, Problem: "clamd: " + e.Message);
            }
            return ParseReply(await ReadReplyAsync(socket, cts.Token));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new VirusScan(ScanStatus.Unavailable, Problem: $"clamd: no answer within {Timeout.TotalSeconds:0.###} s");
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return new VirusScan(ScanStatus.Unavailable, Problem: "clamd: " + e.Message);
        }
    }

    /// <summary>
    /// Reads clamd's INSTREAM answer: "stream: OK", "stream: NAME FOUND", or "... ERROR".
    /// An ERROR (e.g. "INSTREAM size limit exceeded") is Unavailable, not clean: the message was
    /// not scanned, so the policy must decide (451 by default) rather than let it through.
    /// </summary>
    public static VirusScan ParseReply(string reply)
    {
        var text = reply.Trim();
        if (text.Length == 0) return new VirusScan(ScanStatus.Unavailable, Problem: "clamd closed the connection without an answer");
        var body = text.StartsWith("stream:", StringComparison.Ordinal) ? text["stream:".Length..].Trim() : text;
        if (body == "OK") return new VirusScan(ScanStatus.Done);
        if (body.EndsWith(" FOUND", StringComparison.Ordinal))
        {
            var name = body[..^" FOUND".Length].Trim();
            return new VirusScan(ScanStatus.Done, name.Length > 0 ? name : "unknown");
        }
        return new VirusScan(ScanStatus.Unavailable, Problem: ErrorReplyPrefix + text);
    }

    private async Task<Socket> ConnectAsync(CancellationToken ct)
    {
        var socket = _endPoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(_endPoint, ct);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task SendChunksAsync(Socket socket, Stream message, CancellationToken ct)
    {
        var buffer = new byte[4 + _chunkSize];
        while (true)
        {
            var read = await FillAsync(message, buffer.AsMemory(4, _chunkSize), ct);
            BinaryPrimitives.WriteUInt32BigEndian(buffer, (uint)read);
            await SendAllAsync(socket, buffer.AsMemory(0, 4 + read), ct);
            if (read == 0) return; // the zero-length chunk that ends the stream was just sent
        }
    }

    private static async Task<int> FillAsync(Stream stream, Memory<byte> into, CancellationToken ct)
    {
        var total = 0;
        while (total < into.Length)
        {
            var n = await stream.ReadAsync(into[total..], ct);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    private static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        while (!data.IsEmpty) data = data[await socket.SendAsync(data, SocketFlags.None, ct)..];
    }

    /// <summary>Reads up to the NUL that ends a z-command's answer, or to end of stream.</summary>
    private static async Task<string> ReadReplyAsync(Socket socket, CancellationToken ct)
    {
        var buffer = new byte[MaxReplyBytes];
        var total = 0;
        while (total < buffer.Length)
        {
            int n;
            try { n = await socket.ReceiveAsync(buffer.AsMemory(total), SocketFlags.None, ct); }
            catch (SocketException) when (total > 0) { break; }
            if (n == 0) break;
            var nul = Array.IndexOf(buffer, (byte)0, total, n);
            total += n;
            if (nul >= 0) { total = nul; break; }
        }
        return Encoding.ASCII.GetString(buffer, 0, total);
    }
}
