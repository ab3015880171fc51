using System.Net;
using System.Net.Sockets;

namespace Bulwark.Policy.Reputation;

/// <summary>An IPv4 or IPv6 network such as "192.0.2.0/24" or "2001:db8::/32"; a bare address
/// is a single-host network (/32 or /128).</summary>
public sealed class Cidr
{
    private readonly byte[] _network;

    private Cidr(byte[] network, int prefixLength, AddressFamily family)
    {
        _network = network;
        PrefixLength = prefixLength;
        Family = family;
    }

    public int PrefixLength { get; }
    public AddressFamily Family { get; }
    public IPAddress Network => new(_network);

    public static Cidr Parse(string text) =>
        TryParse(text, out var cidr) ? cidr : throw new FormatException($"not a CIDR network: '{text}'");

    public static bool TryParse(string? text, out Cidr cidr)
    {
        cidr = null!;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var span = text.AsSpan().Trim();
        var slash = span.IndexOf('/');
        var addressPart = slash >= 0 ? span[..slash] : span;
        if (!IPAddress.TryParse(addressPart, out var ip))
            return false;
        if (ip.IsIPv4MappedToIPv6)
            ip = ip.MapToIPv4();
        var bits = ip.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var length = bits;
        if (slash >= 0 && (!int.TryParse(span[(slash + 1)..], out length) || length < 0 || length > bits))
            return false;
        var bytes = ip.GetAddressBytes();
        Mask(bytes, length);
        cidr = new Cidr(bytes, length, ip.AddressFamily);
        return true;
    }

    public bool Contains(IPAddress ip)
    {
        ArgumentNullException.ThrowIfNull(ip);
        if (ip.IsIPv4MappedToIPv6)
            ip = ip.MapToIPv4();
        if (ip.AddressFamily != Family)
            return false;
        Span<byte> bytes = stackalloc byte[16];
        ip.TryWriteBytes(bytes, out var written);
        var full = PrefixLength / 8;
        if (!bytes[..full].SequenceEqual(_network.AsSpan(0, full)))
            return false;
        var rest = PrefixLength % 8;
        if (rest == 0)
            return true;
        var mask = (byte)(0xFF << (8 - rest));
        return (bytes[full] & mask) == _network[full];
    }

    public override string ToString() => $"{Network}/{PrefixLength}";

    private static void Mask(byte[] bytes, int prefixLength)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefixLength - i * 8, 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
    }
}
