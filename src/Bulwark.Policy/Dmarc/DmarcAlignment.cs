namespace Bulwark.Policy.Dmarc;

/// <summary>Identifier alignment (RFC 7489 section 3.1): does an authenticated domain stand for the From domain?</summary>
public static class DmarcAlignment
{
    /// <summary>
    /// Strict: the two names are identical (case-insensitive, Unicode and A-labels alike).
    /// Relaxed: identical, or they share an Organizational Domain ("mail.example.com" and
    /// "example.com"). A name that is itself a public suffix has no Organizational Domain, so it
    /// aligns only with itself. An unusable or missing name aligns with nothing.
    /// </summary>
    public static bool IsAligned(string fromDomain, string? authenticatedDomain, DmarcAlignmentMode mode, PublicSuffixList psl)
    {
        ArgumentNullException.ThrowIfNull(psl);
        var from = DmarcDomains.Normalize(fromDomain);
        var other = DmarcDomains.Normalize(authenticatedDomain);
        if (from is null || other is null) return false;
        if (string.Equals(from, other, StringComparison.Ordinal)) return true;
        if (mode == DmarcAlignmentMode.Strict) return false;
        var fromOrg = psl.OrganizationalDomainStart(from);
        var otherOrg = psl.OrganizationalDomainStart(other);
        return fromOrg >= 0 && otherOrg >= 0 && from.AsSpan(fromOrg).SequenceEqual(other.AsSpan(otherOrg));
    }
}
