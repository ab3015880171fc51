using Bulwark.Policy.Arc;
using Bulwark.Policy.Dkim;
using Bulwark.Policy.Dmarc;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Spf;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Checks.Message;

/// <summary>
/// data.dmarc: the header From domain's DMARC policy (asked of its DnsPolicy entity), evaluated
/// with the SPF result of the MAIL phase and the DKIM signatures data.dkim verified, then
/// applied by <see cref="DmarcDecision"/>: p=reject refused with 550 5.7.26, p=quarantine held,
/// a trusted ARC sealer's pass believed. A failed policy lookup defers (451 4.4.3), never accepts.
/// </summary>
public sealed class DmarcCheck(DnsChecks dns, DmarcSettings settings) : ICheck<MessageFacts>
{
    public string Name => DmarcDecision.CheckName;

    public async ValueTask<Verdict> CheckAsync(MessageFacts facts)
    {
        var session = facts.Session;
        var transaction = facts.Transaction;
        if (!dns.AppliesTo(session.Client.ClientIp) || transaction.Find<FromHeader>()?.Domain is not { } fromDomain)
            return Verdict.Continue(Name);
        DmarcDiscoveryResult policy;
        try
        {
            policy = await session.Asks.DmarcPolicyAsync(fromDomain);
        }
        catch (Exception e)
        {
            policy = DmarcDiscoveryResult.TempError(fromDomain, $"DMARC policy ask failed: {e.Message}");
        }
        var dkim = transaction.Find<DkimFindings>()?.Signatures ?? [];
        var result = DmarcEvaluation.Evaluate(policy, transaction.Find<SpfResult>(), dkim, settings.PublicSuffixes,
            session.Asks.DrawPercent());
        var (verdict, finding) = DmarcDecision.Decide(result, transaction.Find<ArcFindings>(), transaction.Recipients, settings);
        return verdict with { Finding = finding };
    }
}
