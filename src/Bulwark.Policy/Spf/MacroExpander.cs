using System.Net.Sockets;
using System.Text;

namespace Bulwark.Policy.Spf;

/// <summary>Where a macro-string appears: domain-specs forbid spaces and the c, r, t letters.</summary>
public enum MacroScope
{
    DomainSpec,
    Explanation,
}

/// <summary>
/// RFC 7208 section 7 macro syntax check and expansion. One scanner serves both so that what the
/// parser accepts is exactly what the expander can expand.
/// </summary>
public static class MacroExpander
{
    private const string Delimiters = ".-+,/_=";

    /// <summary>Null when <paramref name="text"/> is a valid macro-string in <paramref name="scope"/>,
    /// else the problem.</summary>
    public static string? Validate(string text, MacroScope scope) =>
        Scan(text, scope, null, null, out _);

    /// <summary>True when the string's last token is a macro-expand (needed by the domain-end rule).</summary>
    public static bool EndsWithMacro(string text, MacroScope scope) =>
        Scan(text, scope, null, null, out var lastWasMacro) is null && lastWasMacro;

    /// <summary>True when the string uses %{p}, whose value costs DNS lookups.</summary>
    public static bool UsesValidatedName(string text)
    {
        for (var i = text.IndexOf('%'); i >= 0 && i + 2 < text.Length; i = text.IndexOf('%', i + 2))
        {
            if (text[i + 1] == '%') continue;
            if (text[i + 1] == '{' && (text[i + 2] | 0x20) == 'p') return true;
        }
        return false;
    }

    public static bool TryExpand(string text, MacroContext context, MacroScope scope, out string expanded, out string? problem)
    {
        var builder = new StringBuilder(text.Length + 32);
        problem = Scan(text, scope, context, builder, out _);
        expanded = problem is null ? builder.ToString() : "";
        return problem is null;
    }

    private static string? Scan(string text, MacroScope scope, MacroContext? context, StringBuilder? output, out bool lastWasMacro)
    {
        lastWasMacro = false;
        var i = 0;
        while (i < text.Length)
        {
            var ch = text[i];
            if (ch != '%')
            {
                var literal = ch is >= '\x21' and <= '\x7E' || (ch == ' ' && scope == MacroScope.Explanation);
                if (!literal) return $"invalid character U+{(int)ch:X4} in '{text}'";
                output?.Append(ch);
                lastWasMacro = false;
                i++;
                continue;
            }
            if (i + 1 >= text.Length) return $"'%' at the end of '{text}'";
            var next = text[i + 1];
            lastWasMacro = true;
            switch (next)
            {
                case '%': output?.Append('%'); i += 2; continue;
                case '_': output?.Append(' '); i += 2; continue;
                case '-': output?.Append("%20"); i += 2; continue;
                case '{': break;
                default: return $"invalid macro '%{next}' in '{text}'";
            }
            var close = text.IndexOf('}', i + 2);
            if (close < 0) return $"unterminated macro in '{text}'";
            var problem = ExpandOne(text.AsSpan(i + 2, close - i - 2), scope, context, output);
            if (problem is not null) return $"{problem} in '{text}'";
            i = close + 1;
        }
        return null;
    }

    /// <summary>One "%{" macro-letter transformers *delimiter "}" body.</summary>
    private static string? ExpandOne(ReadOnlySpan<char> body, MacroScope scope, MacroContext? context, StringBuilder? output)
    {
        if (body.Length == 0) return "empty macro";
        var letter = body[0];
        var lower = char.ToLowerInvariant(letter);
        if ("sloidpvhcrt".IndexOf(lower) < 0 || letter > '\x7F') return $"unknown macro letter '{letter}'";
        if (lower is 'c' or 'r' or 't' && scope != MacroScope.Explanation)
            return $"macro letter '{letter}' is only allowed in explanations";
        var pos = 1;
        var keep = 0;
        var digitsStart = pos;
        while (pos < body.Length && char.IsAsciiDigit(body[pos]))
        {
            keep = Math.Min(keep * 10 + (body[pos] - '0'), 1000);
            pos++;
        }
        // RFC 7208 7.1: a DIGIT transformer, when present, must be nonzero.
        if (pos > digitsStart && keep == 0) return "zero digit transformer";
        var reverse = false;
        if (pos < body.Length && (body[pos] | 0x20) == 'r')
        {
            reverse = true;
            pos++;
        }
        var delimiters = body[pos..];
        foreach (var d in delimiters)
            if (Delimiters.IndexOf(d) < 0) return $"invalid delimiter '{d}'";
        if (context is null || output is null) return null;

        var value = Value(lower, context);
        if (keep > 0 || reverse || delimiters.Length > 0) value = Transform(value, delimiters, keep, reverse);
        // An upper-case letter asks for URL escaping (RFC 7208 7.3): RFC 3986 unreserved survive.
        output.Append(char.IsAsciiLetterUpper(letter) ? Uri.EscapeDataString(value) : value);
        return null;
    }

    private static string Value(char letter, MacroContext c) => letter switch
    {
        's' => c.Sender,
        'l' => c.LocalPart,
        'o' => c.SenderDomain,
        'd' => c.Domain,
        'i' => DottedAddress(c.Ip),
        'p' => c.ValidatedName,
        'v' => c.Ip.AddressFamily == AddressFamily.InterNetworkV6 ? "ip6" : "in-addr",
        'h' => c.Helo,
        'c' => c.Ip.ToString(),
        'r' => c.ReceivingHost,
        't' => c.Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => "",
    };

    /// <summary>%{i}: dotted quad for IPv4, dot-separated nibbles for IPv6 (RFC 7208 7.3).</summary>
    public static string DottedAddress(System.Net.IPAddress ip)
    {
        if (ip.AddressFamily != AddressFamily.InterNetworkV6) return ip.ToString();
        var bytes = ip.GetAddressBytes();
        var sb = new StringBuilder(63);
        foreach (var b in bytes)
        {
            if (sb.Length > 0) sb.Append('.');
            // Upper case as the reference implementation and suite write it; DNS ignores case.
            sb.Append("0123456789ABCDEF"[b >> 4]).Append('.').Append("0123456789ABCDEF"[b & 0xF]);
        }
        return sb.ToString();
    }

    private static string Transform(string value, ReadOnlySpan<char> delimiters, int keep, bool reverse)
    {
        var parts = delimiters.Length == 0
            ? value.Split('.')
            : value.Split(delimiters.ToArray());
        if (reverse) Array.Reverse(parts);
        var skip = keep > 0 && keep < parts.Length ? parts.Length - keep : 0;
        return string.Join('.', parts, skip, parts.Length - skip);
    }
}
