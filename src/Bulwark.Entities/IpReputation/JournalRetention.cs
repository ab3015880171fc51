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
    /// <summary>
    /// HOCON for the SQL read journal's block (akka.persistence.query.journal.sql). Deleted
    /// rows leave gaps in the journal's ordering column, and the plugin's tag queries wait for
    /// a gap to fill (an ordering taken by a write not yet committed) for query-delay times
    /// max-tries before they read past it. With the defaults (1 s, 10) a node's first tag query,
    /// the block cache's replay, stalls ten seconds, and SMTP opens only after it. Here the wait is
    /// two seconds, still ample for a write to commit; a write slower than that would be missed
    /// only by the journal follow, not by pub-sub.
    /// </summary>
    public const string ReadJournalGapSettings = "journal-sequence-retrieval { query-delay = 200ms, max-tries = 10 }";

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
