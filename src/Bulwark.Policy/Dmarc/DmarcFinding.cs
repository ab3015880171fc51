using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Dmarc;

/// <summary>What Bulwark did with the DMARC result.</summary>
public enum DmarcAction
{
    /// <summary>Nothing to do: a pass, no policy, or p=none.</summary>
    None,
    /// <summary>A failure the recipients' domains record only.</summary>
    Recorded,
    /// <summary>A failure let through by a trusted ARC sealer's dmarc=pass.</summary>
    Overridden,
    /// <summary>Accepted and held in the quarantine for some recipients, delivered with a mark to others.</summary>
    Quarantined,
    /// <summary>Refused at the end of DATA (550 5.7.26).</summary>
    Rejected,
    /// <summary>Deferred (451): the result could not be known for now.</summary>
    Deferred,
}

/// <summary>The DMARC check's finding: the evaluation, what was done, and for p=quarantine which
/// recipients' copies go to the quarantine and which are delivered with a mark.</summary>
/// <param name="Override">Why a failure was let through (the trusted ARC set), or null.</param>
public sealed record DmarcFinding(
    DmarcResult Result,
    DmarcAction Action,
    string? Override,
    IReadOnlyList<string> Quarantine,
    IReadOnlyList<string> DeliverMarked) : IFinding
{
    /// <summary>The policy applied, as Authentication-Results and the log say it ("dis=").</summary>
    public DmarcPolicy Applied => Action switch
    {
        DmarcAction.Rejected => DmarcPolicy.Reject,
        DmarcAction.Quarantined => DmarcPolicy.Quarantine,
        _ => DmarcPolicy.None,
    };

    /// <summary>The header field put on copies delivered marked instead of quarantined.</summary>
    public const string MarkField = "X-Bulwark-DMARC";

    public string MarkValue => $"quarantine ({DmarcText.Printable(Result.Reason)})";
}
