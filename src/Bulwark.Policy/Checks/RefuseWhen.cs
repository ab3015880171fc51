using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Checks;

/// <summary>The commonest check: one condition over the facts, one refusal when it holds.</summary>
public sealed class RefuseWhen<TFacts>(string name, SmtpReply reply, Func<TFacts, bool> condition, Evidence evidence = Evidence.None)
    : Rule<TFacts>
{
    private readonly Verdict _refused = Verdict.Refuse(reply, name, evidence);
    private readonly Verdict _noObjection = Verdict.Continue(name);

    public override string Name => name;

    public override Verdict Decide(TFacts facts) => condition(facts) ? _refused : _noObjection;
}
