using Bulwark.Policy.Sessions;
using Bulwark.Policy.Verdicts;
using Bulwark.Policy.Checks;

namespace Bulwark.Policy.Checks.Rcpt;

/// <summary>rcpt.count: at most <see cref="SessionLimits.MaxRecipients"/> accepted recipients per
/// transaction; the next gets 452 4.5.3 and the client sends it in another transaction.</summary>
public sealed class RecipientCount(SessionLimits limits) : Rule<RcptFacts>
{
    public const string CheckName = "rcpt.count";

    private static readonly Verdict TooMany = Verdict.Refuse(Replies.TooManyRecipients, CheckName);
    private static readonly Verdict NoObjection = Verdict.Continue(CheckName);

    public override string Name => CheckName;

    public override Verdict Decide(RcptFacts facts) =>
        (facts.Session.Transaction?.Recipients.Count ?? 0) >= limits.MaxRecipients ? TooMany : NoObjection;
}
