using Bulwark.Policy.Arc;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Checks.Message;

/// <summary>
/// data.arc: the message's ARC chain (RFC 8617), verified with the sealers' published keys. It
/// decides nothing: DMARC reads it to let through forwarded mail a trusted sealer vouched for,
/// and Authentication-Results reports it. A message without ARC fields costs no lookup.
/// </summary>
public sealed class ArcCheck(DnsChecks dns) : ICheck<MessageFacts>
{
    public const string CheckName = "data.arc";

    public string Name => CheckName;

    public async ValueTask<Verdict> CheckAsync(MessageFacts facts)
    {
        if (!dns.AppliesTo(facts.Session.Client.ClientIp)) return Verdict.Continue(CheckName);
        try
        {
            return Verdict.Continue(CheckName) with { Finding = await facts.Session.Asks.VerifyArcAsync(facts.OpenMessage) };
        }
        catch (Exception e)
        {
            return Verdict.Continue(CheckName) with
            {
                Finding = new ArcFindings(ArcChainOutcome.Fail, [], $"ARC verification: {e.Message}"),
                Failure = $"ARC verification: {e.Message}",
            };
        }
    }
}
