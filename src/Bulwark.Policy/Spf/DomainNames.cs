using System.Net;
using System.Net.Sockets;

namespace Bulwark.Policy.Spf;

/// <summary>Domain-name and address rules SPF needs (RFC 7208 sections 4.3, 4.6.1, 7.3).</summary>
public static class DomainNames
{
    public const int MaxLength = 253;

    /// <summary>A usable query name: labels of 1..63 octets, at most 253 octets, at least two labels
    /// (RFC 7208 4.3: not a multi-label name means "none"), no address literal. A single trailing dot is allowed.</summary>
    public static bool IsValidQueryName(string name)
    {
        var n = TrimDot(name);
        if (n.Length == 0 || n.Length > MaxLength || n[0] == '[') return false;
        var labels = 0;
        var start = 0;
        for (var i = 0; i <= n.Length; i++)
        {
            if (i < n.Length && n[i] != '.') continue;
            var len = i - start;
            if (len is 0 or > 63) return false;
            labels++;
            start = i + 1;
        }
        return labels >= 2;
    }

    public static string TrimDot(string name) => name.EndsWith('.') ? name[..^1] : name;

    /// <summary>RFC 7208 7.3: an expanded name over 253 octets loses labels on the left until it fits.</summary>
    public static string Truncate(string name)
    {
        var n = TrimDot(name);
        while (n.Length > MaxLength)
        {
            var dot = n.IndexOf('.');
            if (dot < 0) break;
            n = n[(dot + 1)..];
        }
        return n;
    }

    /// <summary>RFC 7208 toplabel: alphanumerics with at least one letter, or alphanumerics and
    /// inner hyphens (e.g. "xn--zckzah").</summary>
    public static bool IsTopLabel(ReadOnlySpan<char> label)
    {
        if (label.Length == 0) return false;
        bool hasAlpha = false, hasDash = false;
        foreach (var ch in label)
        {
            if (char.IsAsciiLetter(ch)) hasAlpha = true;
            else if (ch == '-') hasDash = true;
            else if (!char.IsAsciiDigit(ch)) return false;
        }
        if (!hasDash) return hasAlpha;
        return char.IsAsciiLetterOrDigit(label[0]) && char.IsAsciiLetterOrDigit(label[^1]);
    }

    /// <summary>Strict RFC 7208 ip4-network: four dotted decimals 0..255 without leading zeros
    /// (IPAddress.TryParse would also take "1.2.3" or "0x7f.1").</summary>
    public static bool TryParseIp4(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.None;
        Span<byte> bytes = stackalloc byte[4];
        var part = 0;
        var value = -1;
        var digits = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == '.')
            {
                if (digits == 0 || part > 3) return false;
                bytes[part++] = (byte)value;
                value = -1;
                digits = 0;
                continue;
            }
            var ch = text[i];
            if (!char.IsAsciiDigit(ch) || (digits == 1 && value == 0)) return false;
            value = (value < 0 ? 0 : value * 10) + (ch - '0');
            if (++digits > 3 || value > 255) return false;
        }
        if (part != 4) return false;
        address = new IPAddress(bytes);
        return true;
    }

    /// <summary>ip6-network: an RFC 4291 text address (hex, colons, an optional embedded IPv4), no zone or brackets.</summary>
    public static bool TryParseIp6(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.IPv6None;
        foreach (var ch in text)
            if (!(char.IsAsciiHexDigit(ch) || ch is ':' or '.')) return false;
        if (!text.Contains(':') || !IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
            return false;
        address = parsed;
        return true;
    }

    /// <summary>True when the first <paramref name="prefix"/> bits of both addresses (same family) agree.</summary>
    public static bool InNetwork(IPAddress ip, IPAddress network, int prefix)
    {
        if (ip.AddressFamily != network.AddressFamily) return false;
        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        ip.TryWriteBytes(a, out var len);
        network.TryWriteBytes(b, out _);
        var full = prefix / 8;
        if (!a[..full].SequenceEqual(b[..full])) return false;
        var rest = prefix % 8;
        if (rest == 0 || full >= len) return true;
        var mask = (byte)(0xFF << (8 - rest));
        return (a[full] & mask) == (b[full] & mask);
    }

    /// <summary>Does <paramref name="name"/> equal <paramref name="domain"/> or end in ".domain" (case-insensitive)?</summary>
    public static bool IsSubdomainOrSame(string name, string domain)
    {
        var n = TrimDot(name);
        var d = TrimDot(domain);
        if (n.Equals(d, StringComparison.OrdinalIgnoreCase)) return true;
        return n.Length > d.Length && n[n.Length - d.Length - 1] == '.'
            && n.EndsWith(d, StringComparison.OrdinalIgnoreCase);
    }
}
