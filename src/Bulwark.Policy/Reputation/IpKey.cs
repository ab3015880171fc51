using System.Net;
using System.Net.Sockets;

namespace Bulwark.Policy.Reputation;

/// <summary>
/// The key that reputation is counted under. IPv4 addresses count one by one; IPv6 counts by
/// /64, because one end site is normally given a whole /64 and can hop addresses inside it at
/// will, so counting single IPv6 addresses would let an abuser dodge every block.
/// </summary>
public static class IpKey
{
    public const string Ipv6PrefixSuffix = "/64";

    public static string For(IPAddress ip)
    {
        ArgumentNullException.ThrowIfNull(ip);
        if (ip.IsIPv4MappedToIPv6)
            ip = ip.MapToIPv4();
        if (ip.AddressFamily == AddressFamily.InterNetwork)
            return ip.ToString();
        return Prefix64(ip).ToString() + Ipv6PrefixSuffix;
    }

    /// <summary>Operator input: an IPv4 or IPv6 address, or an IPv6 "/64" prefix.
    /// Normalises to the same key that <see cref="For"/> would give.</summary>
    public static bool TryParse(string? text, out string key)
    {
        key = "";
        if (!TryParseAddress(text, out var ip))
            return false;
        key = For(ip);
        return true;
    }

    /// <summary>The address a key stands for: the IPv4 address, or the /64 prefix address
    /// (host bits zero) of an IPv6 key. Used to check keys against the allowlist.</summary>
    public static bool TryGetAddress(string? key, out IPAddress address) => TryParseAddress(key, out address);

    private static bool TryParseAddress(string? text, out IPAddress address)
    {
        address = IPAddress.None;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var span = text.AsSpan().Trim();
        var slash = span.IndexOf('/');
        if (slash >= 0)
        {
            // Only the /64 form is a key; any other prefix length is not what we count by.
            if (!span[(slash + 1)..].SequenceEqual("64") || !IPAddress.TryParse(span[..slash], out var prefix)
                || prefix.AddressFamily != AddressFamily.InterNetworkV6 || prefix.IsIPv4MappedToIPv6)
                return false;
            address = Prefix64(prefix);
            return true;
        }
        // IPAddress.TryParse takes "1" as 0.0.0.1; an operator typing that made a mistake.
        if (!span.Contains(':') && span.Count('.') != 3)
            return false;
        if (!IPAddress.TryParse(span, out var ip))
            return false;
        if (ip.IsIPv4MappedToIPv6)
            ip = ip.MapToIPv4();
        address = ip.AddressFamily == AddressFamily.InterNetworkV6 ? Prefix64(ip) : ip;
        return true;
    }

    private static IPAddress Prefix64(IPAddress ip)
    {
        Span<byte> bytes = stackalloc byte[16];
        ip.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }
}
