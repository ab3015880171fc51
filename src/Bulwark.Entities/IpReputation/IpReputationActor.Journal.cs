using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using Bulwark.Contracts.IpReputation;

namespace Bulwark.Entities.IpReputation;

/// <summary>The entity's snapshots and the deletions they allow (rules in <see cref="JournalRetention"/>).</summary>
public sealed partial class IpReputationActor
{
    /// <summary>
    /// Persisted events between two snapshots. Recovery then reads one snapshot and fewer than
    /// this many events; the journal keeps about as many rows per IP (plus the one row the SQL
    /// plugin keeps, flagged deleted, to remember the highest sequence number). Lower means
    /// more snapshot writes for IPs that are blocked and unblocked often; 10 is one snapshot
    /// per five block-and-unblock rounds.
    /// </summary>
    public const int DefaultSnapshotEvery = 10;

    private readonly int _snapshotEvery;
    /// <summary>The sequence number of the newest stored snapshot (0: none).</summary>
    private long _snapshotSequenceNr;
    private bool _snapshotInFlight;
    /// <summary>The journal or the snapshot store holds something of this entity.</summary>
    private bool _hasHistory;
    /// <summary>Deleting the whole history up to this sequence number; 0: not forgetting.</summary>
    private long _forgettingUpTo;

    private void RecoverSnapshot(SnapshotOffer offer)
    {
        if (offer.Snapshot is not IpReputationSnapshot snapshot)
        {
            _log.Warning("ignored a snapshot of {0} that is a {1}", _ipKey, offer.Snapshot?.GetType().Name ?? "null");
            return;
        }
        _state = ReputationSnapshots.ToState(snapshot);
        _blockedByOperator = snapshot.BlockedByOperator;
        _snapshotSequenceNr = offer.Metadata.SequenceNr;
        _hasHistory = true;
    }

    private IpReputationSnapshot CurrentSnapshot() => ReputationSnapshots.From(_ipKey, _state, _blockedByOperator);

    /// <summary>After each persisted event, and after recovery (an older journal may hold a long
    /// history without any snapshot).</summary>
    private void SnapshotIfDue()
    {
        if (_snapshotInFlight || _forgettingUpTo > 0
            || !JournalRetention.SnapshotDue(LastSequenceNr, _snapshotSequenceNr, _snapshotEvery))
            return;
        _snapshotInFlight = true;
        SaveSnapshot(CurrentSnapshot());
    }

    private void JournalCommands()
    {
        Command<SaveSnapshotSuccess>(saved =>
        {
            _snapshotInFlight = false;
            _snapshotSequenceNr = saved.Metadata.SequenceNr;
            // The snapshot's own last event stays for the block cache (JournalRetention).
            var upTo = JournalRetention.DeleteEventsUpTo(saved.Metadata.SequenceNr);
            if (upTo > 0)
                DeleteMessages(upTo);
            DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1));
        });
        Command<SaveSnapshotFailure>(failed =>
        {
            // The next event tries again; until then recovery just reads more events.
            _snapshotInFlight = false;
            _log.Warning(failed.Cause, "snapshot of {0} at {1} failed", _ipKey, failed.Metadata.SequenceNr);
        });
        Command<DeleteMessagesSuccess>(deleted =>
        {
            if (_forgettingUpTo > 0 && deleted.ToSequenceNr == _forgettingUpTo)
                ForgetDone(forgotten: true);
        });
        Command<DeleteMessagesFailure>(failed =>
        {
            _log.Warning(failed.Cause, "deleting the events of {0} up to {1} failed", _ipKey, failed.ToSequenceNr);
            if (_forgettingUpTo > 0 && failed.ToSequenceNr == _forgettingUpTo)
                ForgetDone(forgotten: false);
        });
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failed =>
            // A snapshot left behind is older than the events kept, or (when forgetting) holds
            // nothing in force: recovery stays right either way.
            _log.Warning(failed.Cause, "deleting old snapshots of {0} failed", _ipKey));
    }

    /// <summary>Starts deleting everything when there is nothing left to remember; true when
    /// the entity must wait for that before it passivates.</summary>
    private bool ForgetIfNothingToRemember(DateTimeOffset now)
    {
        if (_forgettingUpTo > 0)
            return true;
        if (!_hasHistory || _snapshotInFlight || !JournalRetention.MayForget(_state, now, _options))
            return false;
        _forgettingUpTo = LastSequenceNr;
        DeleteSnapshots(new SnapshotSelectionCriteria(_forgettingUpTo));
        DeleteMessages(_forgettingUpTo);
        return true;
    }

    private void ForgetDone(bool forgotten)
    {
        if (forgotten && LastSequenceNr == _forgettingUpTo)
        {
            _hasHistory = false;
            _log.Debug("forgot the history of {0} up to {1}", _ipKey, _forgettingUpTo);
        }
        _forgettingUpTo = 0;
        // Passivate now if nothing arrived meanwhile; a failed deletion is tried again by the
        // next incarnation, not in a loop here.
        var now = _clock();
        DropExpiredLeases(now);
        if (_connections.Count == 0 && _state.IsIdle(now, _options))
            Context.Parent.Tell(new Passivate(PoisonPill.Instance));
    }
}
