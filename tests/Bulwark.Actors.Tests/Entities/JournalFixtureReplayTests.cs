using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Bulwark.Contracts.IpReputation;
using Bulwark.Entities.IpReputation;
using Bulwark.NodeCaches;
using Bulwark.Policy.Reputation;

namespace Bulwark.Actors.Tests.Entities;

/// <summary>What one IP's entity must recover from a fixture journal.</summary>
public sealed record FixtureBlock(string IpKey, DateTimeOffset Until, string Reason, bool ByOperator, int Offences);

/// <summary>
/// An upgrade, replayed: this build starts on a copy of a journal that an earlier build wrote,
/// and every entity and the block cache must find what was recorded there. One subclass per
/// committed fixture (tests/Bulwark.Actors.Tests/Fixtures/README.md says how each was written).
/// </summary>
public abstract class JournalFixtureReplayTests(string fixture) : ClusterJournalTestKit(FixturePath(fixture))
{
    /// <summary>Every fixture was written at about 01:36:47 on that day; its blocks are all still in force now.</summary>
    protected static readonly DateTimeOffset PinnedNow = DateTimeOffset.Parse("2026-12-04T01:40:00Z");

    public static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    protected abstract IReadOnlyList<FixtureBlock> BlocksInForce { get; }

    protected abstract IReadOnlyList<string> Unblocked { get; }

    protected IActorRef Entity(string key) =>
        Sys.ActorOf(IpReputationActor.Props(new ReputationOptions(), key, clock: () => PinnedNow));

    protected T Ask<T>(IActorRef entity, object message)
    {
        entity.Tell(message);
        return ExpectMsg<T>();
    }

    [Fact]
    public void Each_entity_recovers_the_block_reason_until_offences_and_operator_flag_recorded()
    {
        foreach (var expected in BlocksInForce)
        {
            var entity = Entity(expected.IpKey);

            var snapshot = Ask<IpReputationSnapshot>(entity, new GetIpReputationSnapshot(expected.IpKey));
            var status = Ask<IpStatus>(entity, new GetIpStatus(expected.IpKey));

            Assert.Equal(expected, new FixtureBlock(snapshot.IpKey, snapshot.BlockedUntil!.Value, snapshot.BlockReason!,
                snapshot.BlockedByOperator, snapshot.Offences));
            Assert.Equal(expected.Until, status.BlockedUntil);
            Assert.Equal(expected.Reason, status.BlockReason);
            Assert.Equal(expected.Offences, status.Offences);
        }
    }

    [Fact]
    public void An_ip_unblocked_in_the_fixture_is_not_blocked()
    {
        foreach (var key in Unblocked)
        {
            var entity = Entity(key);

            Assert.Null(Ask<IpStatus>(entity, new GetIpStatus(key)).BlockedUntil);
            Assert.Null(Ask<IpReputationSnapshot>(entity, new GetIpReputationSnapshot(key)).BlockedUntil);
        }
    }

    [Fact]
    public void The_block_cache_replay_of_the_tagged_events_yields_exactly_the_blocks_in_force()
    {
        var list = new BlockList();
        var journal = PersistenceQuery.Get(Sys).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);

        var cache = Sys.ActorOf(BlockCacheActor.FromJournal(list, journal, () => PinnedNow));
        cache.Tell(BlockCacheActor.AwaitLive.Instance);
        ExpectMsg<BlockCacheActor.BlockCacheLive>();

        var blocks = list.Snapshot();
        Assert.Equal(BlocksInForce.Select(b => b.IpKey).Order(), blocks.Keys.Order());
        Assert.All(BlocksInForce, expected =>
        {
            Assert.Equal(expected.Until, blocks[expected.IpKey].Until);
            Assert.Equal(expected.Reason, blocks[expected.IpKey].Reason);
        });
    }

    [Fact]
    public void New_events_land_beside_the_fixture_rows_and_both_replay()
    {
        var key = Unblocked[0];
        var entity = Entity(key);
        Ask<IpStatus>(entity, new BlockIp(key, TimeSpan.FromMinutes(5), "after the upgrade"));
        Watch(entity);
        Sys.Stop(entity);
        ExpectTerminated(entity);

        var again = Ask<IpStatus>(Entity(key), new GetIpStatus(key));

        Assert.Equal(PinnedNow.AddMinutes(5), again.BlockedUntil);
        Assert.Equal("after the upgrade", again.BlockReason);
        var newest = JournalRows.Events(DatabasePath, "ip-" + key)[^1];
        Assert.Equal((Bulwark.Contracts.Serialization.BulwarkSerializer.Id, "ip-blocked"), (newest.Identifier, newest.Manifest));
    }
}

/// <summary>Fixtures/journal-3e864fa.db: release 0.4.0, Newtonsoft rows naming Bulwark.Entities types.</summary>
public sealed class Release040JournalReplayTests() : JournalFixtureReplayTests("journal-3e864fa.db")
{
    protected override IReadOnlyList<FixtureBlock> BlocksInForce { get; } =
    [
        new("192.0.2.7", DateTimeOffset.Parse("2026-12-04T02:36:47.1811108+00:00"), "manual fixture", true, 0),
        new("198.51.100.9", DateTimeOffset.Parse("2026-12-05T01:36:47.5223954+00:00"), "second operator block", true, 0),
        new("2001:db8:1:2::/64", DateTimeOffset.Parse("2026-12-04T02:06:47.7120274+00:00"), "v6 operator block", true, 0),
        new("127.0.0.9", DateTimeOffset.Parse("2026-12-04T01:51:48.3916013+00:00"),
            "3 strikes within 00:10:00 (last: UnknownRecipient)", false, 1),
    ];

    protected override IReadOnlyList<string> Unblocked { get; } = ["203.0.113.4"];

    [Fact]
    public void The_fixture_rows_are_the_newtonsoft_ones_that_name_the_old_types()
    {
        var rows = JournalRows.Events(DatabasePath);

        Assert.Equal(6, rows.Count);
        Assert.All(rows, r => Assert.Equal((1, ""), (r.Identifier ?? 0, r.Manifest ?? "")));
    }
}

/// <summary>Fixtures/journal-serializer-2525.db: this release's serializer, with a snapshot
/// and the deletions it allowed (written by <see cref="CurrentJournalFixtureWriter"/>).</summary>
public sealed class SerializerJournalReplayTests() : JournalFixtureReplayTests(CurrentJournalFixture.FileName)
{
    protected override IReadOnlyList<FixtureBlock> BlocksInForce => CurrentJournalFixture.BlocksInForce;

    protected override IReadOnlyList<string> Unblocked => CurrentJournalFixture.Unblocked;

    [Fact]
    public void The_fixture_holds_rows_of_bulwarks_serializer_and_a_snapshot_that_covers_deleted_events()
    {
        var rows = JournalRows.Events(DatabasePath);
        var snapshots = JournalRows.Snapshots(DatabasePath, "ip-" + CurrentJournalFixture.SnapshotKey);

        Assert.All(rows, r => Assert.Equal(Bulwark.Contracts.Serialization.BulwarkSerializer.Id, r.Identifier));
        var snapshot = Assert.Single(snapshots);
        Assert.Equal(("ip-snapshot", 10L), (snapshot.Manifest, snapshot.SequenceNr));
        Assert.DoesNotContain(rows, r => r.PersistenceId == "ip-" + CurrentJournalFixture.SnapshotKey && r.SequenceNr < 9);
    }
}
