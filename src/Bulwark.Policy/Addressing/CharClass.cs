namespace Bulwark.Policy.Addressing;

/// <summary>Character classes of the RFC 5321 / RFC 6531 grammar, on UTF-16 input.</summary>
internal static class CharClass
{
    /// <summary>RFC 5322 atext, ASCII part.</summary>
    public static bool IsAsciiAtext(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-'
            or '/' or '=' or '?' or '^' or '_' or '`' or '{' or '|' or '}' or '~';

    /// <summary>RFC 5321 qtextSMTP, ASCII part: printable except '"' and '\'.</summary>
    public static bool IsAsciiQtext(char c) => c is >= ' ' and <= '~' and not '"' and not '\\';

    /// <summary>
    /// How many UTF-16 units of a non-ASCII character start at s[i] (1 or 2), or 0 if it is not
    /// acceptable. SMTPUTF8 (RFC 6531) allows UTF8-non-ascii in atext, qtext and domain labels; we
    /// accept it leniently but still refuse C1 controls, Unicode white space and broken surrogate
    /// pairs, which have no business in an address and confuse logs and lookups.
    /// </summary>
    public static int NonAsciiWidth(ReadOnlySpan<char> s, int i)
    {
        var c = s[i];
        if (c < 0x80 || char.IsControl(c) || char.IsWhiteSpace(c) || char.IsLowSurrogate(c)) return 0;
        if (!char.IsHighSurrogate(c)) return 1;
        return i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) ? 2 : 0;
    }

    /// <summary>Octets the UTF-16 text takes in UTF-8 (limits in RFC 5321 are in octets).</summary>
    public static int Utf8Octets(ReadOnlySpan<char> s)
    {
        var n = 0;
        foreach (var c in s)
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : char.IsSurrogate(c) ? 2 : 3;
        return n;
    }

    /// <summary>True if the text is an RFC 5321 Dot-string (so it needs no quoting).</summary>
    public static bool IsDotString(ReadOnlySpan<char> s)
    {
        if (s.Length == 0 || s[0] == '.' || s[^1] == '.') return false;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '.')
            {
                if (s[i - 1] == '.') return false;
                continue;
            }
            if (c < 0x80)
            {
                if (!IsAsciiAtext(c)) return false;
                continue;
            }
            var w = NonAsciiWidth(s, i);
            if (w == 0) return false;
            i += w - 1;
        }
        return true;
    }
}
