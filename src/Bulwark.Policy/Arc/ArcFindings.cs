using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Arc;

/// <summary>The chain validation of RFC 8617 section 5.2 (the cv= of the newest ARC-Seal, as
/// Authentication-Results reports it with "arc=").</summary>
public enum ArcChainOutcome
{
    /// <summary>The message carries no ARC set.</summary>
    None,
    /// <summary>Every ARC set is intact and every seal verified.</summary>
    Pass,
    /// <summary>A seal or the newest message signature did not verify, a set is missing or
    /// doubled, or a sealer said the chain had already failed.</summary>
    Fail,
    /// <summary>A key of the chain could not be fetched for now (DNS timeout).</summary>
    TempError,
}

/// <summary>One ARC set (the three fields with the same i=).</summary>
/// <param name="Instance">Its i=, 1 for the first forwarder.</param>
/// <param name="SealerDomain">The ARC-Seal's d= (lower case): who vouches for this hop.</param>
/// <param name="DmarcResult">The dmarc= result that hop's ARC-Authentication-Results recorded
/// ("pass", "fail", ...), lower case; null when it recorded none.</param>
public sealed record ArcSet(int Instance, string SealerDomain, string? DmarcResult);

/// <summary>What the ARC check found: the chain's validation and its sets, oldest first.</summary>
/// <param name="Reason">Why the chain failed, for logs and the Authentication-Results comment.</param>
public sealed record ArcFindings(ArcChainOutcome Chain, IReadOnlyList<ArcSet> Sets, string? Reason = null) : IFinding
{
    public static readonly ArcFindings None = new(ArcChainOutcome.None, []);
}
