namespace Bulwark.Policy.Addressing;

/// <summary>
/// RFC 5321 4.1.2 Mailbox = Local-part "@" ( Domain / address-literal ), with the RFC 6531 UTF-8
/// extensions. Parses at s[i] and stops at the first character that cannot continue the mailbox;
/// the caller checks what follows ('>' or the end of a bare address).
/// </summary>
internal static class MailboxSyntax
{
    public const int MaxLocalOctets = 64;
    public const int MaxDomainOctets = 255;
    public const int MaxLabelOctets = 63;

    public static PathProblem TryParse(ReadOnlySpan<char> s, ref int i, bool allowBarePostmaster,
        out Mailbox? mailbox, out bool quoted)
    {
        mailbox = null;
        quoted = i < s.Length && s[i] == '"';
        var localStart = i;
        string? local = quoted ? ReadQuoted(s, ref i) : ReadDotString(s, ref i);
        if (local is null) return PathProblem.Syntax;
        var localOctets = CharClass.Utf8Octets(s[localStart..i]);

        if (i >= s.Length || s[i] != '@')
        {
            // RFC 5321 4.1.1.3: "RCPT TO:<Postmaster>" (any case) names the server's postmaster.
            if (allowBarePostmaster && !quoted && local.Equals("postmaster", StringComparison.OrdinalIgnoreCase))
            {
                mailbox = new Mailbox(local, "");
                return PathProblem.None;
            }
            return PathProblem.Syntax;
        }
        i++;

        var problem = TryParseDomain(s, ref i, allowLiteral: true, out var domain);
        if (problem != PathProblem.None) return problem;
        if (localOctets > MaxLocalOctets) return PathProblem.TooLong;
        mailbox = new Mailbox(local, domain!);
        return PathProblem.None;
    }

    /// <summary>Domain = sub-domain *("." sub-domain), or an address literal when allowed.</summary>
    public static PathProblem TryParseDomain(ReadOnlySpan<char> s, ref int i, bool allowLiteral, out string? domain)
    {
        domain = null;
        if (i < s.Length && s[i] == '[')
        {
            if (!allowLiteral) return PathProblem.Syntax;
            var close = s[i..].IndexOf(']');
            if (close < 0) return PathProblem.Syntax;
            domain = AddressLiteral.Normalise(s.Slice(i + 1, close - 1));
            if (domain is null) return PathProblem.Syntax;
            i += close + 1;
            return PathProblem.None;
        }

        var start = i;
        var tooLong = false;
        while (true)
        {
            // sub-domain = Let-dig [Ldh-str]: starts and ends with a letter or digit, '-' inside.
            var labelStart = i;
            var last = '\0';
            while (i < s.Length)
            {
                var c = s[i];
                if (char.IsAsciiLetterOrDigit(c) || c == '-') { last = c; i++; continue; }
                if (c < 0x80) break;
                var w = CharClass.NonAsciiWidth(s, i);
                if (w == 0) break;
                last = 'x';
                i += w;
            }
            if (i == labelStart || s[labelStart] == '-' || last == '-') return PathProblem.Syntax;
            tooLong |= CharClass.Utf8Octets(s[labelStart..i]) > MaxLabelOctets;
            if (i < s.Length && s[i] == '.') { i++; continue; }
            break;
        }
        var text = s[start..i];
        if (tooLong || CharClass.Utf8Octets(text) > MaxDomainOctets) return PathProblem.TooLong;
        domain = Lower(text);
        return PathProblem.None;
    }

    private static string Lower(ReadOnlySpan<char> text)
    {
        var hasUpper = false;
        foreach (var c in text)
            if (c >= 0x80 || char.IsAsciiLetterUpper(c)) { hasUpper = true; break; }
        if (!hasUpper) return text.ToString();
        Span<char> buffer = text.Length <= 512 ? stackalloc char[text.Length] : new char[text.Length];
        text.ToLowerInvariant(buffer);
        return buffer.ToString();
    }

    /// <summary>Dot-string = Atom *("." Atom); returns the text or null.</summary>
    private static string? ReadDotString(ReadOnlySpan<char> s, ref int i)
    {
        var start = i;
        var atomLength = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c == '.')
            {
                if (atomLength == 0) return null;
                atomLength = 0;
                i++;
                continue;
            }
            if (c < 0x80)
            {
                if (!CharClass.IsAsciiAtext(c)) break;
                i++;
            }
            else
            {
                var w = CharClass.NonAsciiWidth(s, i);
                if (w == 0) return null;
                i += w;
            }
            atomLength++;
        }
        return atomLength == 0 ? null : s[start..i].ToString();
    }

    /// <summary>Quoted-string = DQUOTE *QcontentSMTP DQUOTE; returns the unescaped content or null.</summary>
    private static string? ReadQuoted(ReadOnlySpan<char> s, ref int i)
    {
        var start = ++i;
        var escapes = 0;
        while (true)
        {
            if (i >= s.Length) return null;
            var c = s[i];
            if (c == '"') break;
            if (c == '\\')
            {
                // quoted-pairSMTP = %d92 %d32-126: printable ASCII only, even under SMTPUTF8.
                if (i + 1 >= s.Length || s[i + 1] is < ' ' or > '~') return null;
                escapes++;
                i += 2;
            }
            else if (c < 0x80)
            {
                if (!CharClass.IsAsciiQtext(c)) return null;
                i++;
            }
            else
            {
                var w = CharClass.NonAsciiWidth(s, i);
                if (w == 0) return null;
                i += w;
            }
        }
        var content = s[start..i];
        i++; // closing quote
        if (escapes == 0) return content.ToString();
        return string.Create(content.Length - escapes, content.ToString(), static (dest, src) =>
        {
            var j = 0;
            for (var k = 0; k < src.Length; k++)
            {
                if (src[k] == '\\') k++;
                dest[j++] = src[k];
            }
        });
    }
}
