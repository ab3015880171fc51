using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Bulwark.Contracts.IpReputation;
using Bulwark.Contracts.Serialization;
using Bulwark.Entities.IpReputation;
using Bulwark.NodeCaches;
using Bulwark.Policy.Reputation;

namespace Bulwark.Actors.Tests.Entities;

/// <summary>Snapshots keep an entity's recovery and its share of the journal bounded, and the
/// deletions they allow never hide a block in force from the block cache's journal replay.</summary>
public sealed class IpReputationSnapshotTests : ClusterJournalTestKit
{
    private const int Every = IpReputationActor.DefaultSnapshotEvery;
    private static readonly ReputationOptions Options = new();
    private DateTimeOffset _now = DateTimeOffset.Parse("2026-12-04T01:40:00Z");

    /// <param name="parent">A probe standing in for the shard, which receives Passivate.</param>
    private IActorRef Entity(string key, TimeSpan? idle = null, Akka.TestKit.TestProbe? parent = null)
    {
        var props = IpReputationActor.Props(Options, key, idle, () => _now);
        return parent is null ? Sys.ActorOf(props) : parent.ChildActorOf(props);
    }

    private IpStatus Ask(IActorRef entity, object message)
    {
        entity.Tell(message);
        return ExpectMsg<IpStatus>();
    }

    private void Restart(ref IActorRef entity, string key)
    {
        Watch(entity);
        Sys.Stop(entity);
        ExpectTerminated(entity);
        entity = Entity(key);
    }

    /// <summary>Event 1 and 2 are blocks, then unblock and block alternate: every even event
    /// is a block, so the newest event of a snapshot at a multiple of ten is the block in force.
    /// Each snapshot is awaited, so that it lands at its multiple of ten even on a slow disk.</summary>
    private void Persist(IActorRef entity, string key, int from, int to)
    {
        for (var n = from; n <= to; n++)
        {
            if (n % 2 == 0 || n == 1)
                Ask(entity, new BlockIp(key, TimeSpan.FromMinutes(30 + n), $"block {n}"));
            else
                Ask(entity, new UnblockIp(key, $"unblock {n}"));
            if (n % Every == 0)
                AwaitSnapshotAndDeletion(key, n);
        }
    }

    private void AwaitSnapshotAndDeletion(string key, long sequenceNr) =>
        AwaitAssert(() =>
        {
            Assert.Equal([sequenceNr], JournalRows.Snapshots(DatabasePath, "ip-" + key).Select(s => s.SequenceNr));
            Assert.DoesNotContain(JournalRows.Events(DatabasePath, "ip-" + key), r => r.SequenceNr < sequenceNr - 1);
        }, TimeSpan.FromSeconds(10));

    private IReadOnlyDictionary<string, BlockEntry> ReplayBlockCache()
    {
        var list = new BlockList();
        var journal = PersistenceQuery.Get(Sys).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
        var cache = Sys.ActorOf(BlockCacheActor.FromJournal(list, journal, () => _now));
        cache.Tell(BlockCacheActor.AwaitLive.Instance);
        ExpectMsg<BlockCacheActor.BlockCacheLive>();
        return list.Snapshot();
    }

    [Fact]
    public void After_fifty_events_recovery_reads_one_snapshot_and_fewer_than_n_events()
    {
        const string key = "203.0.113.50";
        var entity = Entity(key);
        Persist(entity, key, 1, 54);

        Restart(ref entity, key);
        var status = Ask(entity, new GetIpStatus(key));

        Assert.Equal(("block 54", _now.AddMinutes(84)), (status.BlockReason, status.BlockedUntil));
        var snapshot = Assert.Single(JournalRows.Snapshots(DatabasePath, "ip-" + key));
        var live = JournalRows.Events(DatabasePath, "ip-" + key).Where(r => !r.Deleted).ToList();
        Assert.InRange(live.Count(r => r.SequenceNr > snapshot.SequenceNr), 0, Every - 1);
        Assert.Equal([50L, 51, 52, 53, 54], live.Select(r => r.SequenceNr));
    }

    [Fact]
    public void When_the_snapshot_covers_the_block_in_force_its_event_stays_for_the_block_cache()
    {
        const string key = "203.0.113.51";
        var entity = Entity(key);

        Persist(entity, key, 1, 50);

        var blocks = ReplayBlockCache();
        Assert.Equal(("block 50", _now.AddMinutes(80)), (blocks[key].Reason, blocks[key].Until));
        // Bounded: the newest event, and the one row the plugin keeps flagged deleted.
        var rows = JournalRows.Events(DatabasePath, "ip-" + key);
        Assert.Equal([(49L, true), (50L, false)], rows.Select(r => (r.SequenceNr, r.Deleted)));
        Restart(ref entity, key);
        Assert.Equal("block 50", Ask(entity, new GetIpStatus(key)).BlockReason);
    }

    [Fact]
    public async Task The_sql_plugin_keeps_the_newest_deleted_row_flagged_and_its_queries_skip_every_deleted_row()
    {
        const string key = "203.0.113.55";
        Persist(Entity(key), key, 1, 2 * Every);
        var journal = PersistenceQuery.Get(Sys).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
        var materializer = Sys.Materializer();

        var byTag = (await journal.CurrentEventsByTag(BlockTopic.PersistenceTag, Offset.NoOffset())
            .RunWith(Sink.Seq<EventEnvelope>(), materializer)).Where(e => e.PersistenceId == "ip-" + key);
        var byId = await journal.CurrentEventsByPersistenceId("ip-" + key, 0, long.MaxValue)
            .RunWith(Sink.Seq<EventEnvelope>(), materializer);

        // Logical delete (deleted = 1, tag row kept) for the newest deleted row, which holds the
        // highest sequence number; physical delete, tag rows too, for the rows below it. The
        // queries filter on the flag.
        Assert.Equal([(19L, true), (20L, false)], JournalRows.Events(DatabasePath, "ip-" + key).Select(r => (r.SequenceNr, r.Deleted)));
        Assert.Equal([19L, 20L], JournalRows.TaggedSequenceNrs(DatabasePath, "ip-" + key, BlockTopic.PersistenceTag));
        Assert.Equal([20L], byTag.Select(e => e.SequenceNr));
        Assert.Equal([20L], byId.Select(e => e.SequenceNr));
    }

    [Fact]
    public void After_many_blocks_and_unblocks_the_cache_replay_sees_the_current_block_and_the_journal_stays_bounded()
    {
        const string key = "2001:db8:77:1::/64";
        var entity = Entity(key);

        Persist(entity, key, 1, 96);

        var blocks = ReplayBlockCache();
        Assert.Equal("block 96", blocks[key].Reason);
        Assert.InRange(JournalRows.Events(DatabasePath, "ip-" + key).Count, 1, Every + 1);
    }

    [Fact]
    public void The_snapshot_is_stored_by_bulwarks_serializer_under_a_stable_manifest_and_reads_back_equal()
    {
        const string key = "203.0.113.52";
        var entity = Entity(key);
        Persist(entity, key, 1, Every);

        var row = Assert.Single(JournalRows.Snapshots(DatabasePath, "ip-" + key));
        entity.Tell(new GetIpReputationSnapshot(key));
        var current = ExpectMsg<IpReputationSnapshot>();

        Assert.Equal((BulwarkSerializer.Id, "ip-snapshot"), (row.SerializerId, row.Manifest));
        Assert.Equal(current, Sys.Serialization.Deserialize(row.Bytes, row.SerializerId!.Value, row.Manifest));
        Assert.Equal(new IpReputationSnapshot(key, _now.AddMinutes(40), "block 10", true, 0, null), current);
    }

    [Fact]
    public void An_entity_with_nothing_left_to_remember_deletes_its_whole_history_before_it_passivates()
    {
        const string key = "203.0.113.53";
        var parent = CreateTestProbe();
        var entity = Entity(key, TimeSpan.FromMilliseconds(300), parent);
        entity.Tell(new BlockIp(key, TimeSpan.FromMinutes(30), "short"), TestActor);
        ExpectMsg<IpStatus>();
        entity.Tell(new UnblockIp(key, "lifted"), TestActor);
        ExpectMsg<IpStatus>();

        parent.ExpectMsg<Passivate>(TimeSpan.FromSeconds(10));

        // Only the plugin's flagged row remains (the tag queries skip it); no snapshot; nothing
        // for the cache.
        Assert.Equal([(2L, true)], JournalRows.Events(DatabasePath, "ip-" + key).Select(r => (r.SequenceNr, r.Deleted)));
        Assert.Empty(JournalRows.Snapshots(DatabasePath, "ip-" + key));
        Assert.DoesNotContain(key, ReplayBlockCache().Keys);
        // A later incarnation starts empty and goes on after the highest sequence number.
        Watch(entity);
        Sys.Stop(entity);
        ExpectTerminated(entity);
        var again = Entity(key);
        Assert.Null(Ask(again, new GetIpStatus(key)).BlockedUntil);
        Assert.Equal("again", Ask(again, new BlockIp(key, TimeSpan.FromMinutes(5), "again")).BlockReason);
        Assert.Equal(3, JournalRows.Events(DatabasePath, "ip-" + key).Max(r => r.SequenceNr));
    }

    [Fact]
    public void An_entity_whose_offence_chain_is_still_remembered_keeps_its_history()
    {
        const string key = "203.0.113.54";
        var parent = CreateTestProbe();
        var entity = Entity(key, TimeSpan.FromMilliseconds(300), parent);
        for (var i = 0; i < Options.StrikeThreshold; i++)
            entity.Tell(new ReportEvidence(key, Bulwark.Policy.Verdicts.Evidence.UnknownRecipient, _now), TestActor);
        entity.Tell(new UnblockIp(key, "lifted"), TestActor);
        Assert.Equal(1, ExpectMsg<IpStatus>().Offences);

        parent.ExpectMsg<Passivate>(TimeSpan.FromSeconds(10));

        Assert.Equal(2, JournalRows.Events(DatabasePath, "ip-" + key).Count(r => !r.Deleted));
    }
}
