using System.Buffers;
using System.Net.Sockets;

namespace Bulwark.Listener.Protocol.ProxyProtocol;

/// <summary>
/// Takes the PROXY header off a freshly accepted socket and leaves every byte after it in the
/// socket for the SMTP layer.
/// <para>
/// Why a Socket and MSG_PEEK rather than a Stream: a v1 header's length is only known when its
/// CRLF arrives, and a balancer may send the header and the client's first bytes in one
/// segment. A Stream read can only take what is there, so it would either over-read (and need
/// a push-back buffer threaded into <see cref="SmtpWire"/>) or read one byte per call. Peeking
/// lets us parse what has arrived and then consume exactly the header.
/// </para>
/// <para>
/// While the header is Incomplete every byte seen so far belongs to it, so those bytes are
/// consumed and the next peek blocks until new data arrives (no busy loop). The exception is
/// the first <see cref="ProxyHeaderParser.CommitBytes"/> bytes: until then the result could
/// still be NotProxy, so they are only peeked (with a short pause between peeks). Hence a
/// NotProxy result has consumed nothing. After Invalid or a timeout, part of the header may
/// have been consumed; the spec requires the connection to be closed then anyway.
/// </para>
/// </summary>
public static class ProxyHeaderReader
{
    private static readonly TimeSpan PrefixPause = TimeSpan.FromMilliseconds(5);

    /// <param name="timeout">For the whole header; past it the result is Invalid.</param>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> fires.</exception>
    public static async Task<ProxyParseResult> ReadAsync(Socket socket, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var buffer = ArrayPool<byte>.Shared.Rent(ProxyHeaderParser.MaxHeaderBytes);
        var consumed = 0;
        try
        {
            while (true)
            {
                var window = buffer.AsMemory(consumed, ProxyHeaderParser.MaxHeaderBytes - consumed);
                var peeked = await socket.ReceiveAsync(window, SocketFlags.Peek, deadline.Token);
                if (peeked == 0)
                    return ProxyParseResult.Invalid(consumed == 0
                        ? "connection closed before a PROXY header"
                        : "connection closed inside the PROXY header");
                var seen = consumed + peeked;
                var result = ProxyHeaderParser.Parse(buffer.AsSpan(0, seen));
                switch (result.Kind)
                {
                    case ProxyHeaderKind.Incomplete when seen < ProxyHeaderParser.CommitBytes:
                        await Task.Delay(PrefixPause, deadline.Token);
                        break;
                    case ProxyHeaderKind.Incomplete:
                        await ConsumeAsync(socket, buffer.AsMemory(consumed, seen - consumed), deadline.Token);
                        consumed = seen;
                        break;
                    case ProxyHeaderKind.Proxy or ProxyHeaderKind.Local or ProxyHeaderKind.Unknown:
                        await ConsumeAsync(socket, buffer.AsMemory(consumed, result.BytesConsumed - consumed), deadline.Token);
                        return result;
                    default:
                        return result;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProxyParseResult.Invalid($"no complete PROXY header within {timeout.TotalSeconds:0.###} s");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads bytes already seen by a peek, so they are in the kernel queue and the
    /// exact count is available.</summary>
    private static async Task ConsumeAsync(Socket socket, Memory<byte> target, CancellationToken token)
    {
        while (!target.IsEmpty)
        {
            var read = await socket.ReceiveAsync(target, SocketFlags.None, token);
            if (read == 0) throw new SocketException((int)SocketError.ConnectionReset);
            target = target[read..];
        }
    }
}
