using System.Net;

namespace Bulwark.Policy.Reputation;

/// <summary>How first-party reputation turns refusals into farm-wide blocks.</summary>
public sealed record ReputationOptions
{
    /// <summary>Strikes older than this no longer count.</summary>
    public TimeSpan StrikeWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>This many strikes inside the window block the IP.</summary>
    public int StrikeThreshold { get; init; } = 5;

    /// <summary>The first block lasts this long; each earlier offence doubles it.</summary>
    public TimeSpan BaseBlock { get; init; } = TimeSpan.FromMinutes(15);

    public TimeSpan MaxBlock { get; init; } = TimeSpan.FromHours(24);

    /// <summary>An offence (a block decided from evidence) counts toward longer blocks while the
    /// previous one is at most this old.</summary>
    public TimeSpan OffenceMemory { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Open connections per IP key, summed over every listener of the farm.</summary>
    public int MaxConnectionsPerIp { get; init; } = 20;

    /// <summary>An open-connection record older than this is dropped, so a listener that died
    /// without sending CloseConnection cannot hold an IP's count up for ever.</summary>
    public TimeSpan ConnectionLease { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Networks (CIDR strings) that are never blocked, e.g. partners, monitoring.</summary>
    public IReadOnlyList<string> Allowlist { get; init; } = [];

    /// <summary>Parses <see cref="Allowlist"/>; throws <see cref="FormatException"/> naming a bad entry.</summary>
    public IReadOnlyList<IPNetwork> ParseAllowlist() => Allowlist.Select(IpNetworks.Parse).ToArray();

    /// <summary>Is this IP key (address or IPv6 /64) inside the allowlist? A /64 key is checked
    /// by its prefix address.</summary>
    public static bool IsAllowlisted(string ipKey, IReadOnlyList<IPNetwork> allowlist)
    {
        if (allowlist.Count == 0 || !IpKey.TryGetAddress(ipKey, out IPAddress address))
            return false;
        foreach (var cidr in allowlist)
            if (cidr.Covers(address))
                return true;
        return false;
    }
}
