using Bulwark.Contracts.DnsPolicy;

namespace Bulwark.NodeCaches;

/// <summary>
/// A listener node's copy of the DKIM keys and DMARC policies its sessions got from the
/// DnsPolicy entities. Every signed message needs both, and the same senders sign most of the
/// mail, so without this each message would cost two asks (up to two cluster round trips) for
/// answers the entity had already given. An answer is kept as long as the entity said it holds
/// (the record's TTL, the entity's policy cache) and at most <see cref="MaxAge"/>, so a key or
/// policy the domain changes reaches every listener within its TTL plus that. Temporary
/// failures are never kept.
/// </summary>
public sealed class NodeAuthenticationAnswers(int maxEntries = NodeAuthenticationAnswers.DefaultMaxEntries)
{
    public const int DefaultMaxEntries = 10_000;

    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);

    public NearCache<DkimKeyAnswer> Keys { get; } = new(maxEntries, MaxAge);

    public NearCache<DmarcPolicyAnswer> Policies { get; } = new(maxEntries, MaxAge);

    public static string KeyName(string domain, string selector) => $"{selector}._domainkey.{domain.TrimEnd('.').ToLowerInvariant()}";

    public static string PolicyName(string fromDomain) => fromDomain.TrimEnd('.').ToLowerInvariant();
}
