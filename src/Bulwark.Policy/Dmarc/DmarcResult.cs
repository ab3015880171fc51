using Bulwark.Policy.Dkim;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Dmarc;

/// <summary>
/// The DMARC verdict on one message (<see cref="DmarcEvaluation.Evaluate(DmarcDiscoveryResult, Spf.SpfOutcome, string?, IReadOnlyList{DkimSignatureResult}, PublicSuffixList, int)"/>):
/// the result, what the owner asked for, and what to do. A finding, for the checks after it and
/// for the Authentication-Results field.
/// </summary>
/// <param name="Result">Pass, fail, none (no policy) or temperror.</param>
/// <param name="FromDomain">The RFC 5322.From domain, in normal form.</param>
/// <param name="Aligned">The identifier that passed and aligned (a DKIM signature when one did,
/// otherwise SPF); null unless the result is pass.</param>
/// <param name="RequestedPolicy">The owner's policy for this mail: sp= when the record came from
/// the Organizational Domain and has one, p= otherwise; null when there is no policy or it is unknown.</param>
/// <param name="IsSubdomainPolicy">True when <see cref="RequestedPolicy"/> is the sp= tag.</param>
/// <param name="Disposition">What to do with the message: the requested policy for a failing
/// message the pct= sample selected, the policy below it (reject to quarantine, quarantine to none)
/// for one it did not, and none for every result other than fail. A temperror is none too: the
/// caller decides whether to defer.</param>
/// <param name="SampledOut">True when the message failed but the roll fell outside pct=, so the
/// requested policy was not applied in full.</param>
/// <param name="PolicyDomain">The domain the record was published at; null without a policy.</param>
/// <param name="Reason">One line of printable ASCII for logs and the SMTP reply, such as
/// "example.com DMARC policy p=reject: neither SPF nor DKIM aligned".</param>
public sealed record DmarcResult(
    DmarcOutcome Result,
    string FromDomain,
    DmarcAlignedIdentifier? Aligned,
    DmarcPolicy? RequestedPolicy,
    bool IsSubdomainPolicy,
    DmarcPolicy Disposition,
    bool SampledOut,
    string? PolicyDomain,
    string Reason) : IFinding;
