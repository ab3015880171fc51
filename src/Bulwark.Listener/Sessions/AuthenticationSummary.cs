using System.Text;
using Bulwark.Policy.Arc;
using Bulwark.Policy.Dkim;
using Bulwark.Policy.Dmarc;
using Bulwark.Telemetry;

namespace Bulwark.Listener.Sessions;

/// <summary>
/// What the end-of-DATA authentication checks found, said once per message: counted in
/// /metrics and written into the transaction's log line, so an operator can see how much
/// mail passes DMARC before turning a record-only domain to enforce.
/// </summary>
public static class AuthenticationSummary
{
    /// <summary>Counts the results and returns the log fragment ("dkim=pass,fail dmarc=fail/rejected arc=pass"),
    /// or null when none of the checks ran.</summary>
    public static string? Record(DkimFindings? dkim, DmarcFinding? dmarc, ArcFindings? arc)
    {
        if (dkim is null && dmarc is null && arc is null) return null;
        var line = new StringBuilder(64);
        if (dkim is { Signatures.Count: > 0 })
        {
            line.Append("dkim=");
            for (var i = 0; i < dkim.Signatures.Count; i++)
            {
                var result = TraceFields.DkimName(dkim.Signatures[i].Result);
                BulwarkMetrics.Authentication.Labels("dkim", result).Inc();
                line.Append(i == 0 ? "" : ",").Append(result);
            }
        }
        if (dmarc is not null)
        {
            var result = DmarcKeywords.Of(dmarc.Result.Result);
            var action = ActionName(dmarc.Action);
            BulwarkMetrics.Authentication.Labels("dmarc", result).Inc();
            BulwarkMetrics.DmarcActions.Labels(action).Inc();
            line.Append(line.Length == 0 ? "" : " ").Append("dmarc=").Append(result).Append('/').Append(action);
        }
        if (arc is { Chain: not ArcChainOutcome.None })
        {
            var result = arc.Chain.ToString().ToLowerInvariant();
            BulwarkMetrics.Authentication.Labels("arc", result).Inc();
            line.Append(line.Length == 0 ? "" : " ").Append("arc=").Append(result);
        }
        return line.Length == 0 ? null : line.ToString();
    }

    public static string ActionName(DmarcAction action) => action switch
    {
        DmarcAction.None => "none",
        DmarcAction.Recorded => "recorded",
        DmarcAction.Overridden => "arc-override",
        DmarcAction.Quarantined => "quarantined",
        DmarcAction.Rejected => "rejected",
        _ => "deferred",
    };
}
