using Bulwark.Policy.Verdicts;
using Bulwark.Policy.Checks;

namespace Bulwark.Policy.Checks.Rcpt;

/// <summary>rcpt.syntax: the forward-path must parse (501 5.1.3).</summary>
public sealed class RecipientSyntax : Rule<RcptFacts>
{
    public const string CheckName = "rcpt.syntax";

    private static readonly Verdict Bad = Verdict.Refuse(Replies.BadRecipientSyntax, CheckName);
    private static readonly Verdict NoObjection = Verdict.Continue(CheckName);

    public override string Name => CheckName;

    public override Verdict Decide(RcptFacts facts) => facts.Argument.Path is null ? Bad : NoObjection;
}
