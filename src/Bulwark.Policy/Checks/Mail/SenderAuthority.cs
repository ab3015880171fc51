using Bulwark.Policy.Dns;
using Bulwark.Policy.Verdicts;
using Bulwark.Policy.Checks;

namespace Bulwark.Policy.Checks.Mail;

/// <summary>
/// mail.spf / mail.domain: what the sender domain's own zone says, asked of the DnsPolicy entity:
/// SPF of the MAIL FROM identity (of HELO for the null sender) and whether the domain exists and
/// takes mail (<see cref="MailFromPolicy.Decide"/>). The SPF result is kept as a finding. A
/// failed ask is 451 4.4.3 ("mail.dns"), never a refusal for good.
/// </summary>
public sealed class SenderAuthority(DnsChecks dns) : ICheck<MailFacts>
{
    public const string FailedAsk = "mail.dns";

    private static readonly Verdict NothingToAsk = Verdict.Continue(FailedAsk);

    public string Name => MailFromPolicy.SpfCheck;

    public async ValueTask<Verdict> CheckAsync(MailFacts facts)
    {
        var session = facts.Session;
        if (!dns.AppliesTo(session.Client.ClientIp) || facts.Argument.Path is not { } path) return NothingToAsk;
        var mailFrom = path.Mailbox?.Address ?? "";
        var domain = path.Mailbox?.Domain ?? session.Helo ?? "";
        // An address literal names no zone to ask; there is nothing to forge either.
        if (domain.Length == 0 || domain.StartsWith('[')) return NothingToAsk;
        SenderDns answer;
        try
        {
            answer = await session.Asks.SenderAsync(domain, mailFrom, session.Helo ?? "");
        }
        catch (Exception e)
        {
            return Verdict.Refuse(DnsReplies.DnsTemporaryFailure, FailedAsk) with { Failure = $"sender DNS check for {domain}: {e.Message}" };
        }
        return MailFromPolicy.Decide(answer.Spf.Result, answer.Domain, dns.MailFrom) with { Finding = answer.Spf };
    }
}
