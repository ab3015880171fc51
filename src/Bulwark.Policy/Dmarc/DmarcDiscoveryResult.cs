namespace Bulwark.Policy.Dmarc;

/// <summary>How policy discovery ended.</summary>
public enum DmarcDiscoveryStatus
{
    /// <summary>A policy record applies to the From domain.</summary>
    Found,
    /// <summary>No policy: DMARC does not apply to this message (RFC 7489 6.6.3 step 5).</summary>
    NoPolicy,
    /// <summary>A DNS query failed temporarily: it is unknown whether a policy exists, which is
    /// never the same as having none.</summary>
    TempError,
}

/// <summary>
/// The policy that applies to mail from <see cref="FromDomain"/>, as found by <see cref="DmarcDiscovery"/>.
/// Immutable; a caller may cache it per From domain for the TTL of the answers it came from.
/// </summary>
/// <param name="Status">Found, no policy, or a temporary failure.</param>
/// <param name="FromDomain">The RFC 5322.From domain, in normal form (<see cref="DmarcDomains"/>);
/// when it is not a usable name, its printable form.</param>
/// <param name="Record">The policy record, for <see cref="DmarcDiscoveryStatus.Found"/> only.</param>
/// <param name="PolicyDomain">The domain whose _dmarc name held the record: the From domain or its
/// Organizational Domain; null unless found.</param>
/// <param name="Reason">What happened, for logs: where nothing was found, why a record was
/// unusable, which query failed; for a found record, what the parser repaired (or empty).</param>
public sealed record DmarcDiscoveryResult(
    DmarcDiscoveryStatus Status,
    string FromDomain,
    DmarcRecord? Record,
    string? PolicyDomain,
    string Reason)
{
    /// <summary>True when the record came from the Organizational Domain, not the From domain
    /// itself: then its sp= (when present) is the policy for this mail.</summary>
    public bool IsOrganizationalDomainPolicy =>
        PolicyDomain is not null && !string.Equals(PolicyDomain, FromDomain, StringComparison.Ordinal);

    /// <summary>A record found at <paramref name="policyDomain"/> for mail from <paramref name="fromDomain"/>.</summary>
    public static DmarcDiscoveryResult Found(string fromDomain, DmarcRecord record, string policyDomain) =>
        new(DmarcDiscoveryStatus.Found, fromDomain, record, policyDomain, record.Problem ?? "");

    public static DmarcDiscoveryResult NoPolicy(string fromDomain, string reason) =>
        new(DmarcDiscoveryStatus.NoPolicy, fromDomain, null, null, reason);

    public static DmarcDiscoveryResult TempError(string fromDomain, string reason) =>
        new(DmarcDiscoveryStatus.TempError, fromDomain, null, null, reason);
}
