using Bulwark.Policy.Verdicts;
using Bulwark.Policy.Checks;

namespace Bulwark.Policy.Checks.Data;

/// <summary>data.recipients: DATA needs at least one accepted recipient (554 5.5.1): a body
/// nobody will get is not downloaded.</summary>
public sealed class DataRecipients : Rule<SessionFacts>
{
    public const string CheckName = "data.recipients";

    private static readonly Verdict NoneValid = Verdict.Refuse(Replies.NoValidRecipients, CheckName);
    private static readonly Verdict NoObjection = Verdict.Continue(CheckName);

    public override string Name => CheckName;

    public override Verdict Decide(SessionFacts facts) => facts.Transaction is { Recipients.Count: > 0 } ? NoObjection : NoneValid;
}
