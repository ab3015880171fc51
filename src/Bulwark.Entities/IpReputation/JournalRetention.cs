using Bulwark.Policy.Reputation;

namespace Bulwark.Entities.IpReputation;

/// <summary>
/// How much of its history an IpReputation entity keeps, so that recovery stays bounded
/// however long the farm runs: at most one snapshot and fewer than
/// <see cref="IpReputationActor.DefaultSnapshotEvery"/> events after it.
///
/// The block cache of every node rebuilds from the journal's tagged events, not from
/// snapshots, and for each key it keeps what the newest event says. So a deletion may take
/// anything but the entity's newest event: when a block is in force, that event is the block
/// (an unblock after it would have lifted it; a later block would be the newest itself).
/// </summary>
public static class JournalRetention
{
    /// <summary>A snapshot is due once this many events were persisted since the last one
    /// (or, after a recovery of an older journal, were replayed without one).</summary>
    public static bool SnapshotDue(long lastSequenceNr, long snapshotSequenceNr, int snapshotEvery) =>
        snapshotEvery > 0 && lastSequenceNr - snapshotSequenceNr >= snapshotEvery;

    /// <summary>Once a snapshot at <paramref name="snapshotSequenceNr"/> is stored: the events to
    /// delete (up to and including the returned number) keep the snapshot's own last event for
    /// the block cache; 0 deletes nothing.</summary>
    public static long DeleteEventsUpTo(long snapshotSequenceNr) => Math.Max(0, snapshotSequenceNr - 1);

    /// <summary>Nothing left that recovery would rebuild: no block in force and no offence the
    /// offence memory still counts. The entity may then delete its whole history, snapshots
    /// included; the block cache loses nothing, since it holds no block for the key.</summary>
    public static bool MayForget(ReputationState state, DateTimeOffset now, ReputationOptions options) =>
        !state.IsBlocked(now) && state.OffencesAt(now, options) == 0;
}
