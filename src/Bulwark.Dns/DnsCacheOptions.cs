using Bulwark.Policy.Dns;
using Bulwark.Policy.Spf;

namespace Bulwark.Dns;

/// <summary>
/// Bounds of the node's DNS cache. The defaults follow what recursive resolvers ship with
/// (unbound: cache-max-ttl 1 day, cache-max-negative-ttl 1 hour), so that Bulwark never holds
/// an answer longer than the farm's own resolver would.
/// </summary>
public sealed record DnsCacheOptions
{
    /// <summary>Positive answers live their TTL, at most this. A TTL of 0 is honoured: not cached.</summary>
    public TimeSpan MaxTtl { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Negative answers (NXDOMAIN, NoData) live their SOA-derived TTL clamped to
    /// [<see cref="NegativeMinTtl"/>, <see cref="NegativeMaxTtl"/>].</summary>
    public TimeSpan NegativeMaxTtl { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Default 30 s. Also used when the server sent no SOA (TTL unknown). Short, because
    /// a negative answer can refuse mail for good (550 5.1.8) and a domain being set up must not
    /// be refused for long; long enough that a spam run of forged senders costs one query each.</summary>
    public TimeSpan NegativeMinTtl { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>At most this many answers; the least recently used goes first. About 300 bytes
    /// each, so the default 100,000 is about 30 MB at worst.</summary>
    public int MaxEntries { get; init; } = 100_000;

    public static readonly DnsCacheOptions Default = new();
}
