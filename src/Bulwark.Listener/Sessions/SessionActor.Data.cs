using System.Globalization;
using System.Text;
using Akka.Actor;
using Akka.Event;
using Envelope = Bulwark.Delivery.Spool.Envelope;
using Bulwark.Delivery;
using Bulwark.Delivery.Spool;
using Bulwark.Listener.Observability;
using Bulwark.Telemetry;
using Bulwark.Policy.Content;
using Bulwark.Policy.Sessions;
using Bulwark.Policy.Verdicts;
using Bulwark.Contracts.IpReputation;

namespace Bulwark.Listener.Sessions;

public sealed partial class SessionActor
{
    private async Task OnData(IActorRef sender)
    {
        var verdict = PhaseRules.Data(_hasMail, _recipients.Count);
        if (!verdict.IsAccept)
        {
            sender.Tell(Error(verdict.Reply));
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
        var results = await AuthenticationResultsField();
        _data = new DataTarget(entry, TraceHeader(entry.QueueId, results), ForgedResultsFilter());
        _live.Phase(SmtpPhase.Data);
        sender.Tell(new SessionReply(verdict.Reply) { Data = _data });
    }

    private async Task OnDataBody(DataOutcome outcome)
    {
        var sender = Sender;
        var data = _data;
        _data = null;
        if (data is null)
        {
            sender.Tell(new SessionReply(Replies.BadSequence));
            return;
        }
        _transaction.Size = outcome.Bytes;
        var verdict = PhaseRules.DataBody(outcome.Faults);
        if (verdict.Kind != VerdictKind.Continue)
        {
            data.Entry.Dispose();
            EndTransaction("refused", verdict.Reply, verdict.Check);
            sender.Tell(Refusal(verdict));
            return;
        }
        var envelope = new Envelope(data.Entry.QueueId, _sender, _recipients.Select(r => r.Address).ToArray(),
            _connection.ClientIp.ToString(), _helo ?? "", DateTimeOffset.UtcNow);
        ContentDisposition? disposition = null;
        if (ScanningEnabled)
        {
            disposition = await ScanAsync(data.Entry, envelope);
            if (disposition.Refusal is { } refusal)
            {
                data.Entry.Dispose();
                EndTransaction("refused", refusal.Reply, refusal.Check);
                sender.Tell(Refusal(refusal));
                return;
            }
        }
        Stored stored;
        try
        {
            // The 250 is a promise: it goes out only once every copy is fsynced.
            stored = disposition is null ? await CommitAsIs(data.Entry, envelope) : await StoreAsync(data.Entry, envelope, disposition);
        }
        catch (Exception e)
        {
            _log.Error(e, "storing {0} failed", data.Entry.QueueId);
            data.Entry.Dispose();
            EndTransaction("deferred", Replies.StorageFailure, "data.spool");
            sender.Tell(new SessionReply(Replies.StorageFailure));
            return;
        }
        data.Entry.Dispose();
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

    /// <summary>The Received header (RFC 5321 section 4.4) that goes at the top of the stored
    /// message, under this farm's Authentication-Results when DNS checks ran.</summary>
    private byte[] TraceHeader(string queueId, string? authenticationResults)
    {
        var date = DateTimeOffset.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture);
        var forClause = _recipients.Count == 1 ? $"\r\n\tfor <{_recipients[0].Address}>" : "";
        var helo = Sanitise(_helo ?? "unknown");
        var text = $"{authenticationResults}Received: from {helo} ([{_connection.ClientIp}]){TransportClause()} id {queueId}{forClause};\r\n\t{date}\r\n";
        return Encoding.UTF8.GetBytes(text);
    }

    // HELO text is the client's: keep it from breaking the header.
    private static string Sanitise(string value)
    {
        var clean = new StringBuilder(value.Length);
        foreach (var c in value)
            clean.Append(char.IsControl(c) || c is '(' or ')' ? '?' : c);
        return clean.ToString();
    }

    private SessionReply Error(SmtpReply reply)
    {
        _errors++;
        if (_errors >= _settings.Limits.MaxErrors)
        {
            Report(Evidence.ProtocolAbuse);
            return new SessionReply(Replies.TooManyErrors, Close: true);
        }
        return new SessionReply(reply);
    }

    private SessionReply Refusal(Verdict verdict)
    {
        Report(verdict.Evidence);
        if (verdict.Kind == VerdictKind.DenyDisconnect) return new SessionReply(verdict.Reply, Close: true);
        return Error(verdict.Reply);
    }

    private void Report(Evidence evidence)
    {
        if (evidence == Evidence.None || !_settings.ReputationEnabled) return;
        _deps.IpReputation.Tell(new ReportEvidence(_connection.IpKey, evidence, DateTimeOffset.UtcNow));
    }

    private void EndTransaction(string finalVerdict, SmtpReply? reply, string? check = null)
    {
        if (!_transaction.IsEmpty)
            _log.Info(_transaction.Format(_connection, _helo, check is null ? finalVerdict : $"{finalVerdict}({check})", reply));
        _transaction.Clear();
        if (_hasMail || _recipients.Count > 0)
        {
            _live.Phase(_helo is null ? SmtpPhase.Connect : SmtpPhase.Helo);
            _live.Transaction(null, 0);
        }
        _hasMail = false;
        _sender = "";
        _recipients.Clear();
    }

    private void OnEnded(string reason)
    {
        if (_hasMail) EndTransaction($"abandoned:{reason}", null);
        Context.Stop(Self);
    }

    protected override void PostStop()
    {
        _deps.Sessions.Close(_connection.ConnectionId);
        _data?.Entry.Dispose();
        if (_admitted && _settings.ReputationEnabled)
            _deps.IpReputation.Tell(new CloseConnection(_connection.IpKey, _connection.ConnectionId));
    }
}
