using System.Net;
using System.Net.Sockets;

namespace Bulwark.Listener.Protocol.ProxyProtocol;

/// <summary>The text form: "PROXY TCP4|TCP6|UNKNOWN src dst sport dport\r\n", at most 107 bytes.</summary>
internal static class ProxyV1Parser
{
    private const byte Cr = (byte)'\r', Lf = (byte)'\n', Space = (byte)' ';

    /// <param name="buffer">Starts with "PROXY ".</param>
    public static ProxyParseResult Parse(ReadOnlySpan<byte> buffer)
    {
        var window = buffer[..Math.Min(buffer.Length, ProxyHeaderParser.MaxV1Bytes)];
        var start = ProxyHeaderParser.V1Signature.Length;
        for (var i = start; i < window.Length; i++)
        {
            var b = window[i];
            if (b == Cr)
            {
                if (i + 1 == window.Length) break;
                if (window[i + 1] != Lf) return ProxyParseResult.Invalid("v1 header: CR not followed by LF");
                return ParseLine(window[start..i], i + 2);
            }
            if (b == Lf) return ProxyParseResult.Invalid("v1 header: LF without CR");
            // The spec's fields are all printable ASCII; anything else is not a proxy talking.
            if (b < 0x20 || b > 0x7E) return ProxyParseResult.Invalid("v1 header: non-printable byte");
        }
        if (buffer.Length >= ProxyHeaderParser.MaxV1Bytes)
            return ProxyParseResult.Invalid("v1 header: no CRLF within 107 bytes");
        return PartialProtocol(window[start..]);
    }

    /// <summary>Refuses a wrong protocol word early instead of waiting for the CRLF.</summary>
    private static ProxyParseResult PartialProtocol(ReadOnlySpan<byte> rest)
    {
        var end = rest.IndexOfAny(Space, Cr);
        if (end < 0)
            return "UNKNOWN"u8.StartsWith(rest) || "TCP4"u8.StartsWith(rest) || "TCP6"u8.StartsWith(rest)
                ? ProxyParseResult.Incomplete
                : ProxyParseResult.Invalid("v1 header: unknown protocol");
        var proto = rest[..end];
        return proto.SequenceEqual("UNKNOWN"u8) || proto.SequenceEqual("TCP4"u8) || proto.SequenceEqual("TCP6"u8)
            ? ProxyParseResult.Incomplete
            : ProxyParseResult.Invalid("v1 header: unknown protocol");
    }

    /// <param name="line">Everything between "PROXY " and CRLF.</param>
    /// <param name="total">Header length including CRLF.</param>
    private static ProxyParseResult ParseLine(ReadOnlySpan<byte> line, int total)
    {
        var space = line.IndexOf(Space);
        var proto = space < 0 ? line : line[..space];
        // The spec says a receiver must ignore whatever follows UNKNOWN.
        if (proto.SequenceEqual("UNKNOWN"u8)) return ProxyParseResult.Unknown(total);
        bool v6;
        if (proto.SequenceEqual("TCP4"u8)) v6 = false;
        else if (proto.SequenceEqual("TCP6"u8)) v6 = true;
        else return ProxyParseResult.Invalid("v1 header: unknown protocol");

        Span<Range> fields = stackalloc Range[5];
        var count = 0;
        foreach (var range in line.Split(Space))
        {
            if (line[range].IsEmpty) return ProxyParseResult.Invalid("v1 header: fields must be separated by exactly one space");
            if (count == fields.Length) return ProxyParseResult.Invalid("v1 header: too many fields");
            fields[count++] = range;
        }
        if (count < fields.Length) return ProxyParseResult.Invalid("v1 header: expected source, destination and two ports");

        var srcError = V1Address.Parse(line[fields[1]], v6, out var src);
        if (srcError is not null) return ProxyParseResult.Invalid("v1 header: source " + srcError);
        var dstError = V1Address.Parse(line[fields[2]], v6, out var dst);
        if (dstError is not null) return ProxyParseResult.Invalid("v1 header: destination " + dstError);
        if (!TryParsePort(line[fields[3]], out var srcPort)) return ProxyParseResult.Invalid("v1 header: bad source port");
        if (!TryParsePort(line[fields[4]], out var dstPort)) return ProxyParseResult.Invalid("v1 header: bad destination port");
        return ProxyParseResult.Proxy(total, new IPEndPoint(src!, srcPort), new IPEndPoint(dst!, dstPort));
    }

    /// <summary>Decimal 0..65535; a leading zero is refused like the spec does for IPv4 octets
    /// (no proxy emits one, and "010" invites octal confusion).</summary>
    internal static bool TryParsePort(ReadOnlySpan<byte> text, out int port)
    {
        port = 0;
        if (text.IsEmpty || text.Length > 5 || (text[0] == '0' && text.Length > 1)) return false;
        foreach (var c in text)
        {
            if (c < '0' || c > '9') return false;
            port = port * 10 + (c - '0');
        }
        return port <= IPEndPoint.MaxPort;
    }
}

/// <summary>Strict v1 address syntax: dotted quad without leading zeros, or RFC 4291 text.</summary>
internal static class V1Address
{
    private const int MaxV6Chars = 45; // "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"

    /// <returns>Null on success, else what is wrong.</returns>
    public static string? Parse(ReadOnlySpan<byte> text, bool v6, out IPAddress? address)
    {
        address = null;
        var hasColon = text.Contains((byte)':');
        if (!v6)
        {
            if (hasColon) return "address is IPv6 but the protocol is TCP4";
            if (!TryParseIPv4(text, out address)) return "is not a valid IPv4 address";
            return null;
        }
        if (!hasColon)
            return TryParseIPv4(text, out _) ? "address is IPv4 but the protocol is TCP6" : "is not a valid IPv6 address";
        if (text.Length > MaxV6Chars) return "is not a valid IPv6 address";
        Span<char> chars = stackalloc char[MaxV6Chars];
        for (var i = 0; i < text.Length; i++)
        {
            var c = (char)text[i];
            // Only hex, ':' and the dots of an embedded IPv4 tail (inet_ntop writes ::ffff:a.b.c.d);
            // this keeps out scope ids, brackets and prefixes that IPAddress.TryParse would take.
            if (!char.IsAsciiHexDigit(c) && c != ':' && c != '.') return "is not a valid IPv6 address";
            chars[i] = c;
        }
        if (!IPAddress.TryParse(chars[..text.Length], out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
            return "is not a valid IPv6 address";
        address = parsed;
        return null;
    }

    /// <summary>Exactly four decimal octets 0..255 without leading zeros (IPAddress.TryParse
    /// would also take "1.2.3", hex and octal forms, which the spec forbids).</summary>
    public static bool TryParseIPv4(ReadOnlySpan<byte> text, out IPAddress? address)
    {
        address = null;
        Span<byte> octets = stackalloc byte[4];
        var count = 0;
        foreach (var range in text.Split((byte)'.'))
        {
            if (count == 4 || !V1Octet(text[range], out octets[count])) return false;
            count++;
        }
        if (count != 4) return false;
        address = new IPAddress(octets);
        return true;
    }

    private static bool V1Octet(ReadOnlySpan<byte> text, out byte value)
    {
        value = 0;
        if (!ProxyV1Parser.TryParsePort(text, out var n) || text.Length > 3 || n > 255) return false;
        value = (byte)n;
        return true;
    }
}
