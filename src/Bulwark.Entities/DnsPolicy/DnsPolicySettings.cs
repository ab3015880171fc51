using Bulwark.Policy.Dmarc;

namespace Bulwark.Entities.DnsPolicy;

/// <summary>Settings of the DnsPolicy entity itself (the DNS cache has its own).</summary>
public sealed record DnsPolicySettings
{
    /// <summary>How long an SPF result for the same (client IP, MAIL FROM, HELO) is reused.
    /// Default 30 s: a sender that opens many connections or sends many transactions in a burst
    /// costs one evaluation, while a changed SPF record takes effect within half a minute (the
    /// DNS records under it are cached by their own TTLs anyway). Zero turns it off.
    /// Temperrors are never reused.</summary>
    public TimeSpan SpfResultCacheTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Bound of that cache, per entity (one entity per sender domain).</summary>
    public int SpfResultCacheEntries { get; init; } = 1_000;

    /// <summary>Fence around one whole check (on top of the SPF evaluator's own budget and the
    /// resolver's timeouts), so that a lost task can never keep callers waiting forever.</summary>
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromSeconds(25);

    /// <summary>For the Organizational Domain of DMARC discovery. The node reads the list from a
    /// file; the empty list (every name's suffix is its last label) is only for tests.</summary>
    public PublicSuffixList PublicSuffixes { get; init; } = PublicSuffixList.Parse([]);

    /// <summary>Upper bound on how long a discovered DMARC policy is reused, whatever its TTL: a
    /// domain owner who moves to p=reject is obeyed within the hour.</summary>
    public TimeSpan DmarcPolicyMaxCacheTime { get; init; } = TimeSpan.FromHours(1);

    public static readonly DnsPolicySettings Default = new();
}
