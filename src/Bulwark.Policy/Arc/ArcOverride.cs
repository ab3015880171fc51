namespace Bulwark.Policy.Arc;

/// <summary>
/// RFC 8617 section 7.2's local policy: a message that fails DMARC here because a forwarder
/// changed it (a list footer, a subject tag) is let through when its ARC chain is intact and a
/// sealer the operator trusts recorded that DMARC passed when the message reached it.
/// </summary>
public static class ArcOverride
{
    /// <summary>The set that vouches for the message (the newest trusted one), or null: the chain
    /// does not pass, or no trusted sealer recorded dmarc=pass.</summary>
    public static ArcSet? TrustedPass(ArcFindings? arc, IReadOnlySet<string> trustedSealers)
    {
        if (arc is not { Chain: ArcChainOutcome.Pass } || trustedSealers.Count == 0) return null;
        for (var i = arc.Sets.Count - 1; i >= 0; i--)
        {
            var set = arc.Sets[i];
            if (trustedSealers.Contains(set.SealerDomain) && set.DmarcResult == "pass") return set;
        }
        return null;
    }
}
