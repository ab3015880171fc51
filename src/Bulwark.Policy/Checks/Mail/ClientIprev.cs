using Bulwark.Policy.Dns;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Checks.Mail;

/// <summary>
/// client.iprev: the answer of the reverse-DNS lookup started at connect, as a finding for the
/// Authentication-Results field and, when the operator enforces it, a refusal
/// (<see cref="IprevPolicy.Decide"/>). Enforcing, it runs at MAIL; recording only, it runs at
/// DATA, so that no MAIL waits for a slow reverse zone.
/// </summary>
public sealed class ClientIprev<TFacts>(DnsChecks dns) : ICheck<TFacts> where TFacts : IPhaseFacts
{
    public string Name => IprevPolicy.Check;

    public async ValueTask<Verdict> CheckAsync(TFacts facts)
    {
        var session = facts.Session;
        if (!dns.AppliesTo(session.Client.ClientIp)) return Verdict.Continue(IprevPolicy.Check);
        var answer = await session.Asks.ReverseDnsAsync();
        return IprevPolicy.Decide(answer.Result, dns.Iprev) with { Finding = answer };
    }
}
