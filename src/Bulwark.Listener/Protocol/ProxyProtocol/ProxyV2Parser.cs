using System.Buffers.Binary;
using System.Net;

namespace Bulwark.Listener.Protocol.ProxyProtocol;

/// <summary>The binary form: 12-byte signature, version/command, family/transport,
/// big-endian length, then addresses and TLVs (skipped, but bounded).</summary>
internal static class ProxyV2Parser
{
    private const int Inet = 0x11, Inet6 = 0x21;

    /// <param name="buffer">Starts with the complete 12-byte signature.</param>
    public static ProxyParseResult Parse(ReadOnlySpan<byte> buffer)
    {
        // Each byte is judged as soon as it arrives, so Incomplete always means a valid prefix.
        if (buffer.Length < 13) return ProxyParseResult.Incomplete;
        var versionCommand = buffer[12];
        if (versionCommand >> 4 != 2) return ProxyParseResult.Invalid("v2 header: version must be 2");
        var command = versionCommand & 0x0F;
        if (command > 1) return ProxyParseResult.Invalid("v2 header: unknown command");
        var local = command == 0;

        if (buffer.Length < 14) return ProxyParseResult.Incomplete;
        var familyTransport = buffer[13];
        // LOCAL must be accepted whatever the family says (the spec: discard the block).
        var addressBytes = local ? 0 : AddressBytes(familyTransport);
        if (addressBytes < 0) return ProxyParseResult.Invalid("v2 header: unsupported address family or transport");

        if (buffer.Length < ProxyHeaderParser.V2FixedBytes) return ProxyParseResult.Incomplete;
        int length = BinaryPrimitives.ReadUInt16BigEndian(buffer[14..16]);
        if (length > ProxyHeaderParser.MaxV2PayloadBytes)
            return ProxyParseResult.Invalid("v2 header: addresses and TLVs exceed 512 bytes");
        if (length < addressBytes) return ProxyParseResult.Invalid("v2 header: length too short for the addresses");

        var total = ProxyHeaderParser.V2FixedBytes + length;
        if (buffer.Length < total) return ProxyParseResult.Incomplete;
        if (local) return ProxyParseResult.Local(total);

        var block = buffer[ProxyHeaderParser.V2FixedBytes..];
        return familyTransport switch
        {
            Inet => ProxyParseResult.Proxy(total, EndPoint(block[..4], block[8..10]), EndPoint(block[4..8], block[10..12])),
            Inet6 => ProxyParseResult.Proxy(total, EndPoint(block[..16], block[32..34]), EndPoint(block[16..32], block[34..36])),
            _ => ProxyParseResult.Unknown(total),
        };
    }

    /// <returns>Size of the address block for the family, or -1 for a combination the spec
    /// says receivers must reject.</returns>
    private static int AddressBytes(byte familyTransport) => familyTransport switch
    {
        0x00 => 0,            // UNSPEC
        0x11 or 0x12 => 12,   // TCP4, UDP4
        0x21 or 0x22 => 36,   // TCP6, UDP6
        0x31 or 0x32 => 216,  // UNIX stream, datagram
        _ => -1,
    };

    private static IPEndPoint EndPoint(ReadOnlySpan<byte> address, ReadOnlySpan<byte> port) =>
        new(new IPAddress(address), BinaryPrimitives.ReadUInt16BigEndian(port));
}
