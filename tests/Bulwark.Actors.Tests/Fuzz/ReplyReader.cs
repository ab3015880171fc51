using System.Net.Sockets;
using System.Text;

namespace Bulwark.Actors.Tests.Fuzz;

/// <summary>Reads whole replies (all lines of a multi-line reply) from the server and checks
/// every line's form with <see cref="ReplyChecks"/>; malformed lines are reported through
/// <see cref="Violation"/>, never thrown, so one run collects them all.</summary>
public sealed class ReplyReader(Socket socket, Action<string> violation)
{
    private readonly byte[] _buffer = new byte[16384];
    private int _start, _end;

    public bool Closed { get; private set; }
    public Action<string> Violation { get; } = violation;

    /// <summary>The next complete reply (its lines), or null when the server closed the connection.</summary>
    public async Task<List<string>?> ReadReplyAsync(CancellationToken token)
    {
        var lines = new List<string>();
        string? continuation = null;
        while (true)
        {
            var line = await ReadLineAsync(token);
            if (line is null)
            {
                if (lines.Count > 0) Violation($"connection closed inside a multi-line reply after '{lines[^1]}'");
                return null;
            }
            var problem = ReplyChecks.Check(line, continuation);
            var text = Encoding.Latin1.GetString(line.TrimEnd((byte)'\r'));
            if (problem is not null) Violation($"{problem}: {Escape(text)}");
            lines.Add(text);
            if (ReplyChecks.IsFinal(text)) return lines;
            continuation = text[..3];
        }
    }

    private async Task<byte[]?> ReadLineAsync(CancellationToken token)
    {
        while (true)
        {
            var lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (lf >= 0)
            {
                var line = _buffer[_start..lf];
                _start = lf + 1;
                return line;
            }
            if (Closed)
            {
                if (_end > _start) Violation($"{_end - _start} bytes after the last reply line end");
                _start = _end;
                return null;
            }
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length)
            {
                Violation("reply line longer than 16 KB");
                Closed = true;
                return null;
            }
            int read;
            try { read = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, token); }
            catch (SocketException) { read = 0; }
            if (read == 0) Closed = true;
            _end += read;
        }
    }

    public static string Escape(string s)
    {
        var sb = new StringBuilder(Math.Min(s.Length, 200));
        foreach (var c in s.Length > 200 ? s[..200] + "..." : s)
            sb.Append(c is < ' ' or > '~' ? $"\\x{(int)c:X2}" : c.ToString());
        return sb.ToString();
    }
}
