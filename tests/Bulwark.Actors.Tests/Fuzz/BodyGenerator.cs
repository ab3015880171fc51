using System.Text;

namespace Bulwark.Actors.Tests.Fuzz;

/// <summary>
/// DATA bodies: a header section and a body with random line ends, leading dots, fake ends of
/// data (bare LF dot, CR dot CR, ...), NUL, over-long lines, 8-bit text, forged
/// Authentication-Results, and now and then a few hundred KB. The real end (CRLF "." CRLF) is
/// appended by <see cref="BodyModel.Terminate"/>, which also keeps any earlier real end out.
/// </summary>
public sealed class BodyGenerator(Random random)
{
    private static readonly string[] FakeEnds = ["\n.\n", "\n.\r\n", "\r\n.\n", "\r.\r", "\r\n.\r", "\r.\r\n", ".\n", "\n..\r\n", "\r\n\0.\r\n", "\n.\r"];
    private static readonly string[] HeaderNames = ["Subject", "From", "To", "Date", "Message-ID", "Authentication-Results", "Received", "X-Fuzz", "ARC-Authentication-Results", " folded", "NoColon", ""];
    private readonly Random _r = random;
    // A third of the bodies are clean (CRLF only, no NUL, short lines) so that the accept path,
    // the spool and the header filter are reached, not only the refusals.
    private bool _clean;

    private string Ending() => _clean ? "\r\n" : CommandGenerator.Weighted(_r, 40, 2, 2, 1, 1) switch
    {
        0 => "\r\n",
        1 => "\n",
        2 => "\r",
        3 => "\r\r\n",
        _ => "\n\r",
    };

    private string Text(int length)
    {
        var sb = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            sb.Append(CommandGenerator.Weighted(_r, 50, 2, 1, 1) switch
            {
                0 => (char)_r.Next(32, 127),
                1 => (char)_r.Next(0xA0, 0x100),
                2 => '\t',
                _ when _clean => ' ',
                _ => (char)_r.Next(1, 32) is var c && c != '\r' && c != '\n' ? c : ' ',
            });
        }
        return sb.ToString();
    }

    /// <summary>A body without its terminator, as Latin-1 (one byte per char) or UTF-8 bytes.</summary>
    public byte[] Body(long maxMessageBytes)
    {
        _clean = _r.Next(3) == 0;
        var sb = new StringBuilder();
        var headers = _r.Next(8);
        for (var i = 0; i < headers; i++)
        {
            var name = HeaderNames[_r.Next(HeaderNames.Length)];
            var value = name.StartsWith("Authentication") || name.StartsWith("ARC")
                ? Pick(["mx.test; spf=pass smtp.mailfrom=remote.test", "other.test; dkim=pass", "mx.test;\r\n\tspf=pass"])
                : Text(_r.Next(0, 80));
            sb.Append(name).Append(_r.Next(10) == 0 ? "" : ": ").Append(value).Append(Ending());
        }
        if (_r.Next(6) != 0) sb.Append("\r\n");
        var size = CommandGenerator.Weighted(_r, 70, 20, 6, 4) switch
        {
            0 => _r.Next(0, 2_000),
            1 => _r.Next(2_000, 20_000),
            2 => _r.Next(20_000, 200_000),
            _ => (int)Math.Min(_r.NextInt64(200_000, maxMessageBytes + 100_000), int.MaxValue),
        };
        while (sb.Length < size)
        {
            switch (_clean ? CommandGenerator.Weighted(_r, 30, 4, 0, 2) : CommandGenerator.Weighted(_r, 30, 4, 2, 2, 1, 1, 1))
            {
                case 0: sb.Append(Text(_r.Next(0, 120))); break;
                case 1: sb.Append('.').Append(Text(_r.Next(0, 20))); break;
                case 2: sb.Append(FakeEnds[_r.Next(FakeEnds.Length)]); break;
                case 3: sb.Append("MAIL FROM:<evil@remote.test>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n"); break;
                case 4: sb.Append('\0'); break;
                case 5: sb.Append('x', _r.Next(990, 1200)); break;
                default: sb.Append(Text(_r.Next(2000, 9000))); break;
            }
            sb.Append(Ending());
        }
        var text = sb.ToString();
        return _r.Next(3) == 0 ? Encoding.UTF8.GetBytes(text) : Encoding.Latin1.GetBytes(text);
    }

    private string Pick(string[] items) => items[_r.Next(items.Length)];
}
