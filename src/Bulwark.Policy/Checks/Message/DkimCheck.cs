using Bulwark.Policy.Dkim;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Checks.Message;

/// <summary>
/// data.dkim: every DKIM signature of the message, up to <paramref name="maxSignatures"/>,
/// verified with the keys the signing domains publish (asked of the DnsPolicy entity, so cached
/// by their TTLs on the policy nodes). It decides nothing on its own: a signature says who took
/// responsibility for a message, not whether to take it; DMARC and the Authentication-Results
/// field read the finding. Clients the DNS checks do not apply to (trusted networks) are not
/// checked, as for SPF.
/// </summary>
public sealed class DkimCheck(DnsChecks dns, int maxSignatures) : ICheck<MessageFacts>
{
    public const string CheckName = "data.dkim";

    private static readonly Verdict NoObjection = Verdict.Continue(CheckName);

    public string Name => CheckName;

    public async ValueTask<Verdict> CheckAsync(MessageFacts facts)
    {
        var session = facts.Session;
        if (!dns.AppliesTo(session.Client.ClientIp)) return NoObjection;
        try
        {
            return NoObjection with { Finding = await session.Asks.VerifyDkimAsync(facts.OpenMessage, maxSignatures) };
        }
        catch (Exception e)
        {
            // The message could not be read as MIME at all: there is no signature to report.
            return NoObjection with { Finding = DkimFindings.None, Failure = $"DKIM verification: {e.Message}" };
        }
    }
}
