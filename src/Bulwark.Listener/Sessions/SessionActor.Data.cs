using Akka.Actor;
using Akka.Event;
using Bulwark.Delivery;
using Bulwark.Delivery.Spool;
using Bulwark.Listener.Observability;
using Bulwark.Policy.Arc;
using Bulwark.Policy.Checks;
using Bulwark.Policy.Content;
using Bulwark.Policy.Dkim;
using Bulwark.Policy.Dmarc;
using Bulwark.Policy.Sessions;
using Bulwark.Policy.Verdicts;
using Bulwark.Telemetry;
using Envelope = Bulwark.Delivery.Spool.Envelope;

namespace Bulwark.Listener.Sessions;

/// <summary>DATA and the end of DATA: the body goes to a spool entry, the message's checks run
/// over it, and a 250 goes out only once every copy is on disk.</summary>
public sealed partial class SessionActor
{
    private async Task OnData(IActorRef sender)
    {
        var transaction = _facts.Transaction;
        var verdict = await _pipelines.Data.RunAsync(_facts, transaction?.FindingSink);
        if (!verdict.IsAccept)
        {
            LogFailure(verdict);
            sender.Tell(Refusal(verdict));
            return;
        }
        ISpoolEntry entry;
        try
        {
            entry = _deps.Spool.Create();
        }
        catch (Exception e)
        {
            _log.Error(e, "spool unavailable");
            sender.Tell(new SessionReply(Replies.StorageFailure));
            return;
        }
        _data = new DataTarget(entry, TraceHeader(entry.QueueId, transaction!), ForgedResultsFilter());
        _live.Phase(SmtpPhase.Data);
        sender.Tell(new SessionReply(verdict.Reply) { Data = _data });
    }

    private async Task OnDataBody(DataOutcome outcome)
    {
        var sender = Sender;
        var data = _data;
        _data = null;
        if (data is null || _facts.Transaction is not { } transaction)
        {
            data?.Entry.Dispose();
            sender.Tell(new SessionReply(Replies.BadSequence));
            return;
        }
        _transaction.Size = outcome.Bytes;
        var verdict = await _pipelines.Message.RunAsync(new MessageFacts(_facts, outcome, data.Entry.QueueId, data.Entry.OpenWritten),
            transaction.FindingSink);
        _asks.ReleaseMessage();
        _transaction.Authentication = AuthenticationSummary.Record(transaction.Find<DkimFindings>(), transaction.Find<DmarcFinding>(),
            transaction.Find<ArcFindings>());
        if (verdict.Kind == VerdictKind.Discard) transaction.Discarded = verdict;
        if (!verdict.IsAccept && verdict.Kind != VerdictKind.Discard)
        {
            data.Entry.Dispose();
            LogFailure(verdict);
            EndTransaction("refused", verdict.Reply, verdict.Check);
            sender.Tell(Refusal(verdict));
            return;
        }
        if (transaction.Discarded is { } discarded)
        {
            // Answered as if stored, so the sender learns nothing; nothing is kept.
            data.Entry.Dispose();
            var reply = Replies.Queued(data.Entry.QueueId);
            EndTransaction("discarded", reply, discarded.Check);
            sender.Tell(new SessionReply(reply));
            return;
        }
        await StoreAsync(data.Entry, transaction, outcome, sender);
    }

    private async Task StoreAsync(ISpoolEntry entry, TransactionFacts transaction, DataOutcome outcome, IActorRef sender)
    {
        var envelope = new Envelope(entry.QueueId, transaction.Sender, transaction.Recipients.Select(r => r.Address).ToArray(),
            _connection.ClientIp.ToString(), _facts.Helo ?? "", DateTimeOffset.UtcNow) { HeaderFields = DeliveryFields(transaction) };
        Stored stored;
        try
        {
            // The 250 is a promise: it goes out only once every copy is fsynced.
            stored = StoragePlan.For(envelope.Recipients, transaction.Find<ContentDisposition>(), transaction.Find<DmarcFinding>()) is { } plan
                ? await StorePlannedAsync(entry, envelope, plan)
                : await CommitAsIs(entry, envelope);
        }
        catch (Exception e)
        {
            _log.Error(e, "storing {0} failed", entry.QueueId);
            entry.Dispose();
            EndTransaction("deferred", Replies.StorageFailure, "data.spool");
            sender.Tell(new SessionReply(Replies.StorageFailure));
            return;
        }
        entry.Dispose();
        foreach (var spooled in stored.Spooled)
            _deps.Delivery.Tell(new Enqueued(spooled.QueueId, spooled));
        var queueId = stored.Spooled.Count > 0 ? stored.Spooled[0].QueueId : stored.QuarantineId ?? envelope.QueueId;
        _transaction.QueueId = string.Join(",", stored.Spooled.Select(e => e.QueueId).Append(stored.QuarantineId is null ? null : "quarantine:" + stored.QuarantineId).OfType<string>());
        var queued = Replies.Queued(queueId);
        BulwarkMetrics.MessagesAccepted.Unlabelled.Inc();
        BulwarkMetrics.MessageBytesAccepted.Unlabelled.Inc(outcome.Bytes);
        EndTransaction(stored.QuarantineId is null ? "accepted" : "accepted-quarantined", queued);
        sender.Tell(new SessionReply(queued));
    }
}
