using Bulwark.Policy.Addressing;
using Bulwark.Policy.Verdicts;
using Bulwark.Policy.Checks;

namespace Bulwark.Policy.Checks.Rcpt;

/// <summary>rcpt.relay: the recipient must be in a domain this farm accepts mail for, written
/// without routing tricks (<see cref="RelayRules.CheckRecipient"/>). Relay attempts are evidence.</summary>
public sealed class Relay(IReadOnlySet<string> acceptedDomains) : Rule<RcptFacts>
{
    public override string Name => RelayRules.CheckName;

    public override Verdict Decide(RcptFacts facts) => RelayRules.CheckRecipient(facts.Argument.Path!, acceptedDomains);
}
