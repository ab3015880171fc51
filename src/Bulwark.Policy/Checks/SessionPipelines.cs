using Bulwark.Policy.Checks.Connect;
using Bulwark.Policy.Checks.Data;
using Bulwark.Policy.Checks.Helo;
using Bulwark.Policy.Checks.Mail;
using Bulwark.Policy.Checks.Message;
using Bulwark.Policy.Checks.Rcpt;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Checks;

/// <summary>
/// The checks of every SMTP phase, in order: the seed's rule 1 made visible. Within a phase the
/// cheap and reliable come first (syntax, sequence, limits, what the configuration alone
/// decides), then what must be asked of the farm, and content scanning last of all, on mail
/// that has a real recipient and passed every other check. A new check goes into the list of
/// its phase at the place its reliability and cost give it (see docs/architecture.md).
/// </summary>
public sealed class SessionPipelines
{
    public required PhasePipeline<SessionFacts> Connect { get; init; }
    public required PhasePipeline<HeloFacts> Helo { get; init; }
    public required PhasePipeline<MailFacts> Mail { get; init; }
    public required PhasePipeline<RcptFacts> Rcpt { get; init; }
    public required PhasePipeline<SessionFacts> Data { get; init; }
    /// <summary>The end of DATA: the received message.</summary>
    public required PhasePipeline<MessageFacts> Message { get; init; }

    /// <summary>The pipelines the node runs for this configuration.</summary>
    public static SessionPipelines Standard(SessionPolicy policy)
    {
        var dns = policy.Dns;
        var lookUpReverseDns = dns.Enabled && dns.Iprev != IprevAction.Off;
        var enforceReverseDns = lookUpReverseDns && dns.Iprev is IprevAction.SoftReject or IprevAction.Reject;

        var connect = new List<ICheck<SessionFacts>>();
        if (policy.ReputationEnabled) connect.Add(new ReputationAdmission());
        if (lookUpReverseDns) connect.Add(new StartReverseDns(dns));

        var mail = new List<ICheck<MailFacts>>
        {
            MailRules.Keyword,
            new MailSequence(),
            new SenderSyntax(),
            new MailParameters(policy.Limits),
            new RequireTls(policy.RequireTlsFromDomains),
        };
        if (enforceReverseDns) mail.Add(new ClientIprev<MailFacts>(dns));
        if (dns.Enabled) mail.Add(new SenderAuthority(dns));

        var data = new List<ICheck<SessionFacts>> { DataRules.Sequence, DataRules.Recipients };
        // Recorded only: looked at when a message is coming, for its Authentication-Results.
        if (lookUpReverseDns && !enforceReverseDns) data.Add(new ClientIprev<SessionFacts>(dns));

        var message = new List<ICheck<MessageFacts>>(BodyFault.All);
        var dmarc = dns.Enabled && policy.Dmarc.Enabled;
        // The author DMARC judges: a header fault, as cheap and reliable as the body's.
        if (dmarc) message.Add(new AuthorDomain(dns));
        // What the sender's domain signed, before the content scan: reliable, and rspamd may use it.
        if (dns.Enabled && policy.DkimMaxSignatures > 0) message.Add(new DkimCheck(dns, policy.DkimMaxSignatures));
        if (dmarc)
        {
            message.Add(new ArcCheck(dns));
            // The domain owner's own statement, once SPF, DKIM and ARC are known; before the
            // content scan, so that mail the owner disowns is not scanned at all.
            message.Add(new DmarcCheck(dns, policy.Dmarc));
        }
        if (policy.ScanContent) message.Add(new ContentScan(policy.Content));

        return new SessionPipelines
        {
            Connect = new("connect", connect, Verdict.Accept(Replies.Greeting(policy.Hostname), "connect")),
            Helo = new("helo", [new HeloSyntax()], Verdict.Accept(Replies.Ok, "helo")),
            Mail = new("mail", mail, Verdict.Accept(Replies.SenderOk, "mail")),
            Rcpt = new("rcpt",
            [
                RcptRules.Keyword,
                RcptRules.Sequence,
                RcptRules.Count(policy.Limits),
                RcptRules.Syntax,
                RcptRules.Parameters,
                new Relay(policy.AcceptedDomains),
                new RecipientExists(),
            ], Verdict.Accept(Replies.RecipientOk, RecipientExists.CheckName)),
            Data = new("data", data, Verdict.Accept(Replies.StartData, "data")),
            Message = new("message", message, Verdict.Accept(Replies.Ok, "message")),
        };
    }

    /// <summary>Each phase with its check names in order, e.g. for the node's start-up log.</summary>
    public IEnumerable<(string Phase, IReadOnlyList<string> Checks)> Describe() =>
    [
        (Connect.Phase, Connect.Names.ToList()),
        (Helo.Phase, Helo.Names.ToList()),
        (Mail.Phase, Mail.Names.ToList()),
        (Rcpt.Phase, Rcpt.Names.ToList()),
        (Data.Phase, Data.Names.ToList()),
        (Message.Phase, Message.Names.ToList()),
    ];
}
