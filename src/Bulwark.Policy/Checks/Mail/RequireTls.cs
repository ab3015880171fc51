using Bulwark.Policy.Sessions;
using Bulwark.Policy.Verdicts;
using Bulwark.Policy.Checks;

namespace Bulwark.Policy.Checks.Mail;

/// <summary>mail.require-tls: MAIL FROM a domain on the operator's require-TLS list over plain
/// text gets 530 5.7.10 (<see cref="TlsRules.RequireTls"/>). Not the client's fault as far as
/// abuse goes: it counts neither as an error nor as evidence.</summary>
public sealed class RequireTls(IReadOnlySet<string> requiredDomains) : Rule<MailFacts>
{
    public override string Name => "mail.require-tls";

    public override Verdict Decide(MailFacts facts)
    {
        var verdict = TlsRules.RequireTls(facts.Session.UnderTls, facts.Argument.Path?.Mailbox?.Domain ?? "", requiredDomains);
        return verdict.Kind == VerdictKind.Continue ? verdict : verdict with { CountsAsError = false };
    }
}
