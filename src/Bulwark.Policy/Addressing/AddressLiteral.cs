namespace Bulwark.Policy.Addressing;

/// <summary>
/// RFC 5321 4.1.3 address literals. Only IPv4 and the "IPv6:" tag are recognised: IPv6 is the only
/// Standardized-tag IANA has registered, so a General-address-literal is refused as syntax.
/// </summary>
internal static class AddressLiteral
{
    /// <summary>Validates the text between the brackets; returns the normalised bracketed form or null.</summary>
    public static string? Normalise(ReadOnlySpan<char> inner)
    {
        if (IsIPv4(inner)) return string.Concat("[", inner, "]");
        if (inner.Length > 5 && inner[..5].Equals("IPv6:", StringComparison.OrdinalIgnoreCase) && IsIPv6(inner[5..]))
        {
            Span<char> lower = stackalloc char[inner.Length - 5];
            inner[5..].ToLowerInvariant(lower);
            return string.Concat("[IPv6:", lower, "]");
        }
        return null;
    }

    /// <summary>IPv4-address-literal = Snum 3("." Snum), Snum = 1*3DIGIT with value 0-255.</summary>
    public static bool IsIPv4(ReadOnlySpan<char> s)
    {
        var parts = 0;
        var i = 0;
        while (true)
        {
            var start = i;
            var value = 0;
            while (i < s.Length && char.IsAsciiDigit(s[i]) && i - start < 3)
                value = value * 10 + (s[i++] - '0');
            if (i == start || value > 255) return false;
            parts++;
            if (i == s.Length) return parts == 4;
            if (s[i] != '.' || parts == 4) return false;
            i++;
        }
    }

    /// <summary>
    /// RFC 5321 IPv6-addr: full (8 groups), comp ("::" with at most 6 other groups), v4-full
    /// (6 groups + IPv4) and v4-comp ("::" with at most 4 other groups + IPv4). Stricter than
    /// RFC 4291 on purpose: "::" standing for a single group is not RFC 5321 syntax.
    /// </summary>
    public static bool IsIPv6(ReadOnlySpan<char> s)
    {
        var maxGroups = 8;
        var lastColon = s.LastIndexOf(':');
        if (lastColon < 0) return false;
        if (s[(lastColon + 1)..].Contains('.'))
        {
            if (!IsIPv4(s[(lastColon + 1)..])) return false;
            maxGroups = 6;
            // Keep "::" whole when it directly precedes the IPv4 part; drop a single separating ':'.
            s = lastColon > 0 && s[lastColon - 1] == ':' ? s[..(lastColon + 1)] : s[..lastColon];
        }
        var gap = s.IndexOf("::");
        if (gap < 0) return CountGroups(s) == maxGroups;
        if (s.LastIndexOf("::") != gap) return false;
        var left = CountGroups(s[..gap]);
        var right = CountGroups(s[(gap + 2)..]);
        return left >= 0 && right >= 0 && left + right <= maxGroups - 2;
    }

    /// <summary>Number of ':'-separated 1-4 hex digit groups, 0 for empty text, -1 if malformed.</summary>
    private static int CountGroups(ReadOnlySpan<char> s)
    {
        if (s.Length == 0) return 0;
        var groups = 0;
        var run = 0;
        foreach (var c in s)
        {
            if (c == ':')
            {
                if (run == 0) return -1;
                groups++;
                run = 0;
            }
            else if (char.IsAsciiHexDigit(c) && run < 4) run++;
            else return -1;
        }
        return run == 0 ? -1 : groups + 1;
    }
}
