namespace Bulwark.Listener.Protocol.ProxyProtocol;

/// <summary>
/// Pure parser for the HAProxy PROXY protocol, versions 1 (text) and 2 (binary). It looks at
/// the bytes received so far and says what they are; it never reads past the header, so the
/// caller can consume exactly <see cref="ProxyParseResult.BytesConsumed"/> bytes.
/// </summary>
public static class ProxyHeaderParser
{
    /// <summary>Longest v1 line, "PROXY" to CRLF inclusive (spec: 107 bytes).</summary>
    public const int MaxV1Bytes = 107;

    /// <summary>Bound on v2 addresses + TLVs. The spec allows 65535; UNIX addresses need 216 and
    /// load balancers add a few small TLVs, so anything larger is refused rather than buffered.</summary>
    public const int MaxV2PayloadBytes = 512;

    /// <summary>The v2 fixed part: signature, version/command, family/transport, length.</summary>
    public const int V2FixedBytes = 16;

    /// <summary>No header is longer; a buffer this long is never Incomplete.</summary>
    public const int MaxHeaderBytes = V2FixedBytes + MaxV2PayloadBytes;

    /// <summary>
    /// Once this many leading bytes match a signature ("PROXY" or "\r\n\r\n\0") the sender is
    /// committed to the PROXY protocol: a later mismatch is Invalid, not NotProxy. Shorter
    /// matches ("PRO", "\r\n") could be the start of something else, so a mismatch there is
    /// NotProxy. <see cref="ProxyHeaderReader"/> relies on this: past it, NotProxy is impossible.
    /// </summary>
    public const int CommitBytes = 5;

    internal static ReadOnlySpan<byte> V1Signature => "PROXY "u8;

    internal static ReadOnlySpan<byte> V2Signature =>
        [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    public static ProxyParseResult Parse(ReadOnlySpan<byte> buffer)
    {
        if (buffer.IsEmpty) return ProxyParseResult.Incomplete;
        if (buffer[0] == V1Signature[0]) return Signature(buffer, V1Signature) ?? ProxyV1Parser.Parse(buffer);
        if (buffer[0] == V2Signature[0]) return Signature(buffer, V2Signature) ?? ProxyV2Parser.Parse(buffer);
        return ProxyParseResult.NotProxy;
    }

    /// <summary>Checks the signature; null when it is complete and matches.</summary>
    private static ProxyParseResult? Signature(ReadOnlySpan<byte> buffer, ReadOnlySpan<byte> signature)
    {
        var seen = Math.Min(buffer.Length, signature.Length);
        var matched = buffer[..seen].CommonPrefixLength(signature[..seen]);
        if (matched < seen)
            return matched >= CommitBytes
                ? ProxyParseResult.Invalid(signature.Length == V1Signature.Length
                    ? "v1 header: expected a space after PROXY"
                    : "v2 header: bad signature")
                : ProxyParseResult.NotProxy;
        return seen < signature.Length ? ProxyParseResult.Incomplete : null;
    }
}
