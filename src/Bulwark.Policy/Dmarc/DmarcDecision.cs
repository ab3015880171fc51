using Bulwark.Policy.Addressing;
using Bulwark.Policy.Arc;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Dmarc;

/// <summary>
/// What to do with a DMARC result, given the ARC chain and the settings of the recipients'
/// domains. A failure under p=reject is refused when any recipient's domain enforces DMARC (one
/// answer goes to the whole transaction; the sender is told, nothing is lost); p=quarantine is
/// applied per recipient. A temporary failure defers unless the owner asked for nothing (p=none)
/// or no recipient's domain enforces.
/// </summary>
public static class DmarcDecision
{
    public const string CheckName = "data.dmarc";

    public static (Verdict Verdict, DmarcFinding Finding) Decide(DmarcResult result, ArcFindings? arc, IReadOnlyList<Mailbox> recipients,
        DmarcSettings settings)
    {
        var enforcing = recipients.Where(r => settings.For(r.Domain).Enforcement == DmarcEnforcement.Enforce).ToList();
        switch (result.Result)
        {
            case DmarcOutcome.Pass or DmarcOutcome.None:
                return Continue(result, DmarcAction.None);
            case DmarcOutcome.TempError:
                if (result.RequestedPolicy == DmarcPolicy.None || enforcing.Count == 0) return Continue(result, DmarcAction.Recorded);
                return (Verdict.Refuse(DmarcReplies.TempError(result.FromDomain), CheckName) with { Failure = result.Reason },
                    Finding(result, DmarcAction.Deferred));
        }
        if (result.Disposition == DmarcPolicy.None) return Continue(result, DmarcAction.None);
        if (ArcOverride.TrustedPass(arc, settings.TrustedArcSealers) is { } vouching)
            return Continue(result, DmarcAction.Overridden,
                $"ARC set i={vouching.Instance} sealed by trusted {vouching.SealerDomain} recorded dmarc=pass");
        if (enforcing.Count == 0) return Continue(result, DmarcAction.Recorded);
        if (result.Disposition == DmarcPolicy.Reject)
            return (Verdict.Refuse(DmarcReplies.Reject(result.Reason), CheckName, Evidence.DmarcReject), Finding(result, DmarcAction.Rejected));

        var quarantine = enforcing.Where(r => settings.For(r.Domain).Quarantine == DmarcQuarantineAction.Quarantine).Select(r => r.Address).ToList();
        var marked = enforcing.Select(r => r.Address).Except(quarantine).ToList();
        return (Verdict.Continue(CheckName), new DmarcFinding(result, DmarcAction.Quarantined, null, quarantine, marked));
    }

    private static (Verdict, DmarcFinding) Continue(DmarcResult result, DmarcAction action, string? why = null) =>
        (Verdict.Continue(CheckName), Finding(result, action, why));

    private static DmarcFinding Finding(DmarcResult result, DmarcAction action, string? why = null) => new(result, action, why, [], []);
}
