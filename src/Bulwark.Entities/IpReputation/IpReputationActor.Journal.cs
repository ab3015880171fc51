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
    /// <summary>The deletion under way, if any: events first, then snapshots, one after the
    /// other (on SQLite, journal and snapshot store share one file and its write lock).</summary>
    private Deletion? _deletion;

    /// <param name="EventsUpTo">Delete the events up to this sequence number (0: none).</param>
    /// <param name="SnapshotsUpTo">Then the snapshots up to this one.</param>
    /// <param name="Forget">The whole history goes: passivate once it is gone.</param>
    private sealed record Deletion(long EventsUpTo, long SnapshotsUpTo, bool Forget)
    {
        public bool EventsDeleted { get; set; }
    }

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
        if (_snapshotInFlight || _deletion is not null
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
            StartDeletion(new Deletion(JournalRetention.DeleteEventsUpTo(saved.Metadata.SequenceNr),
                saved.Metadata.SequenceNr - 1, Forget: false));
        });
        Command<SaveSnapshotFailure>(failed =>
        {
            // The next event tries again; until then recovery just reads more events.
            _snapshotInFlight = false;
            _log.Warning(failed.Cause, "snapshot of {0} at {1} failed", _ipKey, failed.Metadata.SequenceNr);
        });
        Command<DeleteMessagesSuccess>(deleted => EventsDeleted(deleted.ToSequenceNr, ok: true));
        Command<DeleteMessagesFailure>(failed =>
        {
            // Rows left behind are deleted with the next snapshot's range, which covers them.
            _log.Warning(failed.Cause, "deleting the events of {0} up to {1} failed", _ipKey, failed.ToSequenceNr);
            EventsDeleted(failed.ToSequenceNr, ok: false);
        });
        Command<DeleteSnapshotsSuccess>(_ => SnapshotsDeleted());
        Command<DeleteSnapshotsFailure>(failed =>
        {
            // A snapshot left behind is older than the newest one, or (when forgetting) holds
            // nothing in force: recovery stays right either way.
            _log.Warning(failed.Cause, "deleting old snapshots of {0} failed", _ipKey);
            SnapshotsDeleted();
        });
    }

    private void StartDeletion(Deletion deletion)
    {
        _deletion = deletion;
        if (deletion.EventsUpTo > 0)
            DeleteMessages(deletion.EventsUpTo);
        else
            DeleteSnapshots(new SnapshotSelectionCriteria(deletion.SnapshotsUpTo));
    }

    private void EventsDeleted(long upTo, bool ok)
    {
        if (_deletion is not { } deletion || deletion.EventsUpTo != upTo)
            return;
        deletion.EventsDeleted = ok;
        DeleteSnapshots(new SnapshotSelectionCriteria(deletion.SnapshotsUpTo));
    }

    private void SnapshotsDeleted()
    {
        if (_deletion is not { } deletion)
            return;
        _deletion = null;
        if (deletion.Forget)
            ForgetDone(deletion);
    }

    /// <summary>Starts deleting everything when there is nothing left to remember; true when
    /// the entity must wait for that before it passivates.</summary>
    private bool ForgetIfNothingToRemember(DateTimeOffset now)
    {
        if (_deletion is not null || _snapshotInFlight)
            return true;
        if (!_hasHistory || !JournalRetention.MayForget(_state, now, _options))
            return false;
        StartDeletion(new Deletion(LastSequenceNr, LastSequenceNr, Forget: true));
        return true;
    }

    private void ForgetDone(Deletion deletion)
    {
        if (deletion.EventsDeleted && LastSequenceNr == deletion.EventsUpTo)
        {
            _hasHistory = false;
            _log.Debug("forgot the history of {0} up to {1}", _ipKey, deletion.EventsUpTo);
        }
        // Passivate now if nothing arrived meanwhile; a failed deletion is tried again by the
        // next incarnation, not in a loop here.
        var now = _clock();
        DropExpiredLeases(now);
        if (_connections.Count == 0 && _state.IsIdle(now, _options))
            Context.Parent.Tell(new Passivate(PoisonPill.Instance));
    }
}
