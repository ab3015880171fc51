using System.Net;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams.Dsl;
using Bulwark.Entities.IpReputation;
using Bulwark.Policy.Reputation;
using Bulwark.Contracts.IpReputation;
using Bulwark.NodeCaches;

namespace Bulwark.Actors.Tests.Entities;

public sealed class BlockCacheActorTests : ClusterJournalTestKit
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow;

    private static bool Blocked(BlockList list, string ip) => list.IsBlocked(IPAddress.Parse(ip), DateTimeOffset.UtcNow, out _);

    private static EventEnvelope Envelope(long sequence, IBlockEvent evt) =>
        new(Offset.Sequence(sequence), "ip-" + evt.IpKey, sequence, evt, T0.ToUnixTimeMilliseconds(), [BlockTopic.PersistenceTag]);

    [Fact]
    public void Blocks_and_unblocks_published_on_the_topic_reach_the_list()
    {
        var list = new BlockList();
        Sys.ActorOf(BlockCacheActor.Props(list));

        // Publishing until it shows also waits out the cache's subscription.
        AwaitAssert(() =>
        {
            Mediator.Tell(new Publish(BlockTopic.Name, new IpBlocked("203.0.113.40", T0.AddHours(1), "strikes", 1)));
            Assert.True(Blocked(list, "203.0.113.40"));
        }, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));
        Mediator.Tell(new Publish(BlockTopic.Name, new IpUnblocked("203.0.113.40", "operator")));

        AwaitAssert(() => Assert.False(Blocked(list, "203.0.113.40")), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void The_current_blocks_are_rebuilt_from_the_journal_events_in_order()
    {
        var list = new BlockList();
        var events = new[]
        {
            Envelope(1, new IpBlocked("203.0.113.41", T0.AddHours(1), "strikes", 1)),
            Envelope(2, new IpBlocked("203.0.113.42", T0.AddHours(1), "strikes", 1)),
            Envelope(3, new IpUnblocked("203.0.113.42", "operator")),
            Envelope(4, new IpBlocked("203.0.113.43", T0.AddHours(-1), "long over", 1)),
            Envelope(5, new IpBlocked("2001:db8:5:5::/64", T0.AddHours(1), "strikes", 1)),
        };

        Sys.ActorOf(BlockCacheActor.Props(list, () => Source.From(events)));

        AwaitAssert(() =>
        {
            Assert.True(Blocked(list, "203.0.113.41"));
            Assert.True(Blocked(list, "2001:db8:5:5::77"));
            // The expired block is pruned once the replay has been applied.
            Assert.Equal(2, list.Count);
        }, TimeSpan.FromSeconds(5));
        Assert.False(Blocked(list, "203.0.113.42"));
        Assert.False(Blocked(list, "203.0.113.43"));
    }

    [Fact]
    public void A_new_cache_finds_blocks_decided_before_it_started_in_the_sql_journal()
    {
        var entity = Sys.ActorOf(IpReputationActor.Props(new ReputationOptions(), "203.0.113.44"));
        entity.Tell(new BlockIp("203.0.113.44", TimeSpan.FromHours(1), "operator says so"));
        ExpectMsg<IpStatus>();
        var list = new BlockList();

        Sys.ActorOf(BlockCacheActor.Props(list, () =>
            PersistenceQuery.Get(Sys).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier)
                .CurrentEventsByTag(BlockTopic.PersistenceTag, Offset.NoOffset())));

        AwaitAssert(() => Assert.True(Blocked(list, "203.0.113.44")), TimeSpan.FromSeconds(10));
        Assert.Equal("operator says so", list.Snapshot()["203.0.113.44"].Reason);
    }
}
