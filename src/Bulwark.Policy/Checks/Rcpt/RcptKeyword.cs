using Bulwark.Policy.Verdicts;
using Bulwark.Policy.Checks;

namespace Bulwark.Policy.Checks.Rcpt;

/// <summary>rcpt.syntax: "RCPT" must be followed by "TO:" (501 5.5.4), checked first.</summary>
public sealed class RcptKeyword : Rule<RcptFacts>
{
    public const string CheckName = "rcpt.syntax";

    private static readonly Verdict Refused = Verdict.Refuse(Replies.ParameterSyntax, CheckName);
    private static readonly Verdict NoObjection = Verdict.Continue(CheckName);

    public override string Name => CheckName;

    public override Verdict Decide(RcptFacts facts) => facts.Argument.KeywordMissing ? Refused : NoObjection;
}
