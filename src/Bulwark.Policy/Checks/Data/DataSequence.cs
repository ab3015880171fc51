using Bulwark.Policy.Verdicts;
using Bulwark.Policy.Checks;

namespace Bulwark.Policy.Checks.Data;

/// <summary>data.sequence: DATA needs an accepted MAIL (503 5.5.1).</summary>
public sealed class DataSequence : Rule<SessionFacts>
{
    public const string CheckName = "data.sequence";

    private static readonly Verdict NeedMail = Verdict.Refuse(Replies.NeedMail, CheckName);
    private static readonly Verdict NoObjection = Verdict.Continue(CheckName);

    public override string Name => CheckName;

    public override Verdict Decide(SessionFacts facts) => facts.Transaction is null ? NeedMail : NoObjection;
}
