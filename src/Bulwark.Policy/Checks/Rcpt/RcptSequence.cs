using Bulwark.Policy.Verdicts;
using Bulwark.Policy.Checks;

namespace Bulwark.Policy.Checks.Rcpt;

/// <summary>rcpt.sequence: RCPT needs an accepted MAIL (503 5.5.1).</summary>
public sealed class RcptSequence : Rule<RcptFacts>
{
    public const string CheckName = "rcpt.sequence";

    private static readonly Verdict NeedMail = Verdict.Refuse(Replies.NeedMail, CheckName);
    private static readonly Verdict NoObjection = Verdict.Continue(CheckName);

    public override string Name => CheckName;

    public override Verdict Decide(RcptFacts facts) => facts.Session.Transaction is null ? NeedMail : NoObjection;
}
