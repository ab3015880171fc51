using Bulwark.Policy.Dmarc;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Checks.Message;

/// <summary>
/// data.from: the header From that DMARC is evaluated for. A message with none, with several, or
/// with one that does not read is refused (RFC 7489 section 6.6.1, <see cref="DmarcReplies"/>):
/// the author's domain is the identity the recipient sees, and a message that hides it cannot be
/// held to its owner's policy. Only where DMARC applies (DNS checks on, client not trusted).
/// </summary>
public sealed class AuthorDomain(DnsChecks dns) : ICheck<MessageFacts>
{
    public const string CheckName = "data.from";

    public string Name => CheckName;

    public async ValueTask<Verdict> CheckAsync(MessageFacts facts)
    {
        if (!dns.AppliesTo(facts.Session.Client.ClientIp)) return Verdict.Continue(CheckName);
        var from = await facts.Session.Asks.ReadFromAsync(facts.OpenMessage);
        return from.Refusal is { } refusal
            ? Verdict.Refuse(refusal, CheckName) with { Finding = from }
            : Verdict.Continue(CheckName) with { Finding = from };
    }
}
