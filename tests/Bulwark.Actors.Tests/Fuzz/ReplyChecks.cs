using System.Text;
using System.Text.RegularExpressions;

namespace Bulwark.Actors.Tests.Fuzz;

/// <summary>
/// What every reply line must look like (RFC 5321 section 4.2, RFC 3463, and the design's rule
/// that every refusal carries an enhanced code): CRLF-terminated, no other control bytes, a
/// 2xx-5xx code, the same code on every line of a multi-line reply, and on a 4xx/5xx an
/// enhanced code of the same class.
/// </summary>
public static partial class ReplyChecks
{
    [GeneratedRegex(@"^([2-5])\d\d([ -])(.*)$", RegexOptions.Singleline)]
    private static partial Regex Shape();

    [GeneratedRegex(@"^([245])\.\d{1,3}\.\d{1,3}( |$)")]
    private static partial Regex Enhanced();

    /// <summary>Null when <paramref name="raw"/> (one line, its LF removed) is well formed;
    /// else why not. <paramref name="previous"/> is the code of the line before when that line
    /// announced a continuation ("250-").</summary>
    public static string? Check(ReadOnlySpan<byte> raw, string? previousContinuation)
    {
        if (raw.Length == 0 || raw[^1] != '\r') return "line not ended by CRLF";
        var body = raw[..^1];
        foreach (var b in body)
            if (b < 0x20 && b != '\t' || b == 0x7F) return $"control byte 0x{b:X2} inside the reply";
        string text;
        try { text = new UTF8Encoding(false, true).GetString(body); }
        catch (DecoderFallbackException) { return "reply is not valid UTF-8"; }
        var m = Shape().Match(text);
        if (!m.Success) return "no 2xx-5xx code";
        var code = text[..3];
        if (previousContinuation is not null && previousContinuation != code) return $"continuation of {previousContinuation} has code {code}";
        var cls = m.Groups[1].Value;
        if (cls is "4" or "5" && m.Groups[2].Value == " ")
        {
            var e = Enhanced().Match(m.Groups[3].Value);
            if (!e.Success) return "4xx/5xx without an enhanced status code";
            if (e.Groups[1].Value != cls) return $"enhanced code class {e.Groups[1].Value} on a {code}";
        }
        return null;
    }

    public static bool IsFinal(string line) => line.Length < 4 || line[3] != '-';
}
