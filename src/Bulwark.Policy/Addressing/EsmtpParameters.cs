using System.Collections.ObjectModel;

namespace Bulwark.Policy.Addressing;

/// <summary>
/// RFC 5321 4.1.2 Mail-parameters / Rcpt-parameters: esmtp-param *(SP esmtp-param), with
/// esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-") and esmtp-value = 1*(%d33-60 / %d62-126)
/// (plus UTF-8 under RFC 6531). Repeated spaces between parameters are tolerated; a keyword given
/// twice is refused, since the two values would contradict each other.
/// </summary>
internal static class EsmtpParameters
{
    public static readonly IReadOnlyDictionary<string, string?> Empty =
        new ReadOnlyDictionary<string, string?>(new Dictionary<string, string?>());

    public static bool TryParse(ReadOnlySpan<char> s, out IReadOnlyDictionary<string, string?> parameters)
    {
        parameters = Empty;
        Dictionary<string, string?>? found = null;
        var i = 0;
        while (true)
        {
            while (i < s.Length && s[i] == ' ') i++;
            if (i == s.Length) break;
            var start = i;
            while (i < s.Length && s[i] != ' ') i++;
            var token = s[start..i];

            var eq = token.IndexOf('=');
            var keyword = eq < 0 ? token : token[..eq];
            if (!IsKeyword(keyword)) return false;
            string? value = null;
            if (eq >= 0)
            {
                var v = token[(eq + 1)..];
                if (!IsValue(v)) return false;
                value = v.ToString();
            }
            found ??= new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (!found.TryAdd(keyword.ToString().ToUpperInvariant(), value)) return false;
        }
        if (found is not null) parameters = found;
        return true;
    }

    private static bool IsKeyword(ReadOnlySpan<char> k)
    {
        if (k.Length == 0 || !char.IsAsciiLetterOrDigit(k[0])) return false;
        foreach (var c in k)
            if (!char.IsAsciiLetterOrDigit(c) && c != '-') return false;
        return true;
    }

    private static bool IsValue(ReadOnlySpan<char> v)
    {
        if (v.Length == 0) return false;
        for (var i = 0; i < v.Length; i++)
        {
            var c = v[i];
            if (c < 0x80)
            {
                if (c is < '!' or > '~' or '=') return false;
                continue;
            }
            var w = CharClass.NonAsciiWidth(v, i);
            if (w == 0) return false;
            i += w - 1;
        }
        return true;
    }
}
