using Bulwark.Policy.Content;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Verdicts;
using Bulwark.Policy.Checks;

namespace Bulwark.Policy.Checks.Message;

/// <summary>
/// data.content: the last and least reliable check, only for a body that passed every earlier
/// one. clamd and rspamd look at the stored message; <see cref="ContentDecision.Decide"/> turns
/// their report into a refusal (named data.virus or data.spam) or a disposition per recipient
/// (deliver, mark, quarantine), kept as the finding the end of DATA stores by.
/// </summary>
public sealed class ContentScan(ContentPolicy policy) : ICheck<MessageFacts>
{
    public const string CheckName = "data.content";

    public string Name => CheckName;

    public async ValueTask<Verdict> CheckAsync(MessageFacts facts)
    {
        var session = facts.Session;
        var transaction = facts.Transaction;
        var recipients = transaction.Recipients.Select(r => r.Address).ToArray();
        var context = new ScanContext(facts.QueueId, session.Client.ClientIp, session.Helo ?? "", transaction.Sender, recipients,
            transaction.Find<Spf.SpfResult>() is { } spf ? AuthenticationResults.SpfName(spf.Result) : null,
            transaction.Find<IprevAnswer>()?.PtrName);
        var report = await session.Asks.ScanAsync(facts.OpenMessage, context);
        var disposition = ContentDecision.Decide(report, recipients, policy);
        return disposition.Refusal is { } refusal
            ? refusal with { Finding = disposition }
            : Verdict.Continue(CheckName) with { Finding = disposition };
    }
}
