using Bulwark.Policy.Verdicts;
using Bulwark.Policy.Checks;

namespace Bulwark.Policy.Checks.Rcpt;

/// <summary>rcpt.parameters: RCPT takes no ESMTP parameters here (no DSN extension: nothing is
/// ever bounced), so any is 555 5.5.4.</summary>
public sealed class RcptParameters : Rule<RcptFacts>
{
    public const string CheckName = "rcpt.parameters";

    private static readonly Verdict Refused = Verdict.Refuse(Replies.UnknownParameter, CheckName);
    private static readonly Verdict NoObjection = Verdict.Continue(CheckName);

    public override string Name => CheckName;

    public override Verdict Decide(RcptFacts facts) => facts.Argument.Path is { Parameters.Count: > 0 } ? Refused : NoObjection;
}
