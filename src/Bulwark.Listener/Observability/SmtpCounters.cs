using Bulwark.Listener.Protocol;
using Bulwark.Policy.Verdicts;
using Bulwark.Telemetry;

namespace Bulwark.Listener.Observability;

/// <summary>Counts what the SMTP front door answers, by phase and code.</summary>
public static class SmtpCounters
{
    // Reply codes as label text without formatting an int on every reply.
    private static readonly string[] CodeText = Enumerable.Range(0, 600).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    public static void Reply(string phase, SmtpReply reply)
    {
        var code = reply.Code is >= 0 and < 600 ? CodeText[reply.Code] : reply.Code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        BulwarkMetrics.Verdicts.Labels(phase, code, reply.EnhancedCode).Inc();
    }

    /// <summary>The phase a command's reply belongs to; null for replies not worth a verdict
    /// (a positive answer to NOOP, RSET, QUIT, HELP or VRFY decides nothing).</summary>
    public static string? PhaseOf(SmtpVerb verb, SmtpReply reply) => verb switch
    {
        SmtpVerb.Helo or SmtpVerb.Ehlo => SmtpPhase.Helo,
        SmtpVerb.Mail => SmtpPhase.Mail,
        SmtpVerb.Rcpt => SmtpPhase.Rcpt,
        SmtpVerb.Data => SmtpPhase.Data,
        _ when reply.IsPositive => null,
        _ => SmtpPhase.Other,
    };

    public static void Connection(string result) => BulwarkMetrics.Connections.Labels(result).Inc();
}
