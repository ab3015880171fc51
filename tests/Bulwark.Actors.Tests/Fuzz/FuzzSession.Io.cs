using System.Net.Sockets;
using System.Text;

namespace Bulwark.Actors.Tests.Fuzz;

public sealed partial class FuzzSession
{
    /// <summary>QUIT, a plain close, or a close in the middle of a line.</summary>
    private async Task EndAsync(CancellationToken token)
    {
        var unterminated = _script.Unterminated;
        switch (CommandGenerator.Weighted(_r, 7, 2, 1))
        {
            case 0:
                var batch = new List<byte[]>();
                if (unterminated.Length > 0) batch.Add([.. unterminated, (byte)'\r', (byte)'\n']);
                batch.Add("QUIT\r\n"u8.ToArray());
                if (await ExchangeAsync(batch, token) != Outcome.Closed) Violation("still open after QUIT");
                break;
            case 1:
                if (unterminated.Length > 0) await SendAsync(unterminated, token, allowByteByByte: false);
                _socket.Shutdown(SocketShutdown.Send);
                await ExpectClosedAsync("the client's close", token);
                break;
            default:
                await SendAsync([.. unterminated, .. "MAIL FROM:<half"u8], token, allowByteByByte: false);
                _socket.Shutdown(SocketShutdown.Send);
                await ExpectClosedAsync("the client's close in a line", token);
                break;
        }
    }

    /// <summary>After a closing reply (or the client's own close) the server must send nothing more and close.</summary>
    private async Task ExpectClosedAsync(string after, CancellationToken token)
    {
        var extra = await _reader.ReadReplyAsync(token);
        if (extra is not null) Violation($"reply after {after}: {extra[^1]}");
        while (extra is not null) extra = await _reader.ReadReplyAsync(token);
    }

    /// <summary>In one to three writes, or (rarely, short batches) one byte per write. Send
    /// errors are ignored: a server that closed first is judged by what it replied.</summary>
    private async Task SendAsync(byte[] bytes, CancellationToken token, bool allowByteByByte)
    {
        try
        {
            if (allowByteByByte && bytes.Length <= 400 && _r.Next(60) == 0)
            {
                Interlocked.Increment(ref _stats.ByteByByte);
                for (var i = 0; i < bytes.Length; i++) await _socket.SendAsync(bytes.AsMemory(i, 1), SocketFlags.None, token);
                return;
            }
            var cuts = new SortedSet<int> { 0, bytes.Length };
            for (var i = _r.Next(3); i > 0 && bytes.Length > 1; i--) cuts.Add(_r.Next(1, bytes.Length));
            var points = cuts.ToArray();
            for (var i = 0; i + 1 < points.Length; i++)
            {
                var piece = bytes.AsMemory(points[i], points[i + 1] - points[i]);
                while (!piece.IsEmpty) piece = piece[await _socket.SendAsync(piece, SocketFlags.None, token)..];
            }
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
    }

    private static string Show(byte[] segment) =>
        ReplyReader.Escape(Encoding.Latin1.GetString(segment.Length > 120 ? segment[..120] : segment));
}
