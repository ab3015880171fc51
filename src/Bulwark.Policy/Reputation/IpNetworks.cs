using System.Net;

namespace Bulwark.Policy.Reputation;

/// <summary>
/// Networks as operators write them in settings ("192.0.2.0/24", "2001:db8::/32", a bare address
/// for one host), read into <see cref="IPNetwork"/>. Two leniencies the BCL parser lacks, on
/// purpose: host bits after the prefix are ignored ("192.0.2.77/24" is 192.0.2.0/24, as most
/// firewalls read it), and IPv4-mapped IPv6 addresses are IPv4 (a dual-stack socket reports
/// every IPv4 client that way).
/// </summary>
public static class IpNetworks
{
    public static IPNetwork Parse(string text) =>
        TryParse(text, out var network) ? network : throw new FormatException($"not a CIDR network: '{text}'");

    public static bool TryParse(string? text, out IPNetwork network)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var span = text.AsSpan().Trim();
        var slash = span.IndexOf('/');
        if (!IPAddress.TryParse(slash >= 0 ? span[..slash] : span, out var address)) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var bits = address.GetAddressBytes().Length * 8;
        var length = bits;
        if (slash >= 0 && (!int.TryParse(span[(slash + 1)..], out length) || length < 0 || length > bits)) return false;
        network = new IPNetwork(Masked(address, length), length);
        return true;
    }

    /// <summary><see cref="IPNetwork.Contains"/>, with an IPv4-mapped address taken as IPv4.</summary>
    public static bool Covers(this IPNetwork network, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return network.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
    }

    private static IPAddress Masked(IPAddress address, int prefixLength)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
            bytes[i] &= (byte)(0xFF << (8 - Math.Clamp(prefixLength - i * 8, 0, 8)));
        return new IPAddress(bytes);
    }
}
