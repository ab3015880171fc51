using Akka.Actor;
using Bulwark.Entities.IpReputation;
using Bulwark.Policy.Reputation;
using Bulwark.Policy.Verdicts;
using Bulwark.Contracts.IpReputation;

namespace Bulwark.Actors.Tests.Entities;

public sealed class IpReputationActorTests : ClusterJournalTestKit
{
    private static readonly ReputationOptions Options = new() { Allowlist = ["192.0.2.0/24"] };

    private IActorRef Entity(string key, ReputationOptions? options = null, Func<DateTimeOffset>? clock = null) =>
        Sys.ActorOf(IpReputationActor.Props(options ?? Options, key, clock: clock));

    private static void Strike(IActorRef entity, string key, int count)
    {
        for (var i = 0; i < count; i++)
            entity.Tell(new ReportEvidence(key, Evidence.UnknownRecipient, DateTimeOffset.UtcNow));
    }

    private IpStatus Status(IActorRef entity, string key)
    {
        entity.Tell(new GetIpStatus(key));
        return ExpectMsg<IpStatus>();
    }

    [Fact]
    public void Strikes_up_to_the_threshold_block_the_ip_and_publish_the_block()
    {
        var blocks = SubscribeToBlocks();
        var entity = Entity("203.0.113.5");

        Strike(entity, "203.0.113.5", 4);
        var before = Status(entity, "203.0.113.5");
        Strike(entity, "203.0.113.5", 1);

        Assert.Equal(4, before.RecentStrikes);
        Assert.Null(before.BlockedUntil);
        var published = blocks.ExpectMsg<IpBlocked>();
        Assert.Equal("203.0.113.5", published.IpKey);
        Assert.Equal(1, published.Offences);
        Assert.False(published.ByOperator);
        var after = Status(entity, "203.0.113.5");
        Assert.NotNull(after.BlockedUntil);
        Assert.Equal(0, after.RecentStrikes);
        Assert.Equal(1, after.Offences);
    }

    [Fact]
    public void A_blocked_ip_is_refused_admission()
    {
        var entity = Entity("203.0.113.6");
        Strike(entity, "203.0.113.6", 5);

        entity.Tell(new OpenConnection("203.0.113.6", "c1", DateTimeOffset.UtcNow));

        var admission = ExpectMsg<ConnectionAdmission>();
        Assert.False(admission.Admitted);
        Assert.True(admission.Blocked);
    }

    [Fact]
    public void A_block_and_its_offence_count_survive_a_restart_of_the_entity()
    {
        const string key = "2001:db8:1:2::/64";
        var first = Entity(key);
        Strike(first, key, 5);
        var blocked = Status(first, key);
        Watch(first);
        first.Tell(PoisonPill.Instance);
        ExpectTerminated(first);

        var second = Entity(key);
        var recovered = Status(second, key);

        Assert.NotNull(blocked.BlockedUntil);
        Assert.Equal(blocked.BlockedUntil, recovered.BlockedUntil);
        Assert.Equal(blocked.BlockReason, recovered.BlockReason);
        Assert.Equal(1, recovered.Offences);
    }

    [Fact]
    public void An_operator_block_is_persisted_published_and_replied()
    {
        var blocks = SubscribeToBlocks();
        var entity = Entity("198.51.100.7");

        entity.Tell(new BlockIp("198.51.100.7", TimeSpan.FromHours(2), "ticket 42"));

        var status = ExpectMsg<IpStatus>();
        Assert.Equal("ticket 42", status.BlockReason);
        Assert.InRange(status.BlockedUntil!.Value, DateTimeOffset.UtcNow.AddMinutes(119), DateTimeOffset.UtcNow.AddMinutes(121));
        var published = blocks.ExpectMsg<IpBlocked>();
        Assert.True(published.ByOperator);
        Assert.Equal(0, status.Offences);
    }

    [Fact]
    public void An_operator_unblock_lifts_the_block_publishes_it_and_survives_restart()
    {
        var blocks = SubscribeToBlocks();
        var entity = Entity("198.51.100.8");
        Strike(entity, "198.51.100.8", 5);
        blocks.ExpectMsg<IpBlocked>();

        entity.Tell(new UnblockIp("198.51.100.8", "false positive"));

        var status = ExpectMsg<IpStatus>();
        Assert.Null(status.BlockedUntil);
        Assert.Equal("false positive", blocks.ExpectMsg<IpUnblocked>().Reason);
        entity.Tell(new OpenConnection("198.51.100.8", "c1", DateTimeOffset.UtcNow));
        Assert.True(ExpectMsg<ConnectionAdmission>().Admitted);
        Watch(entity);
        Sys.Stop(entity);
        ExpectTerminated(entity);
        Assert.Null(Status(Entity("198.51.100.8"), "198.51.100.8").BlockedUntil);
    }

    [Fact]
    public void An_allowlisted_ip_is_never_blocked_by_evidence_nor_by_an_operator()
    {
        var blocks = SubscribeToBlocks();
        var entity = Entity("192.0.2.10");

        Strike(entity, "192.0.2.10", 20);
        entity.Tell(new BlockIp("192.0.2.10", TimeSpan.FromHours(1), "oops"));

        var status = ExpectMsg<IpStatus>();
        Assert.Null(status.BlockedUntil);
        Assert.Equal(0, status.RecentStrikes);
        blocks.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void Connections_past_the_farm_wide_limit_are_refused_until_one_closes()
    {
        var entity = Entity("203.0.113.20", Options with { MaxConnectionsPerIp = 2 });

        var admissions = new[] { "c1", "c2", "c3" }.Select(id =>
        {
            entity.Tell(new OpenConnection("203.0.113.20", id, DateTimeOffset.UtcNow));
            return ExpectMsg<ConnectionAdmission>();
        }).ToList();
        entity.Tell(new CloseConnection("203.0.113.20", "c1"));
        entity.Tell(new OpenConnection("203.0.113.20", "c3", DateTimeOffset.UtcNow));
        var retry = ExpectMsg<ConnectionAdmission>();

        Assert.Equal([true, true, false], admissions.Select(a => a.Admitted));
        Assert.Equal(2, admissions[2].OpenConnections);
        Assert.False(admissions[2].Blocked);
        Assert.True(retry.Admitted);
        Assert.Equal(2, retry.OpenConnections);
    }

    [Fact]
    public void Connection_records_older_than_the_lease_stop_counting()
    {
        var now = DateTimeOffset.UtcNow;
        var entity = Entity("203.0.113.21", Options with { MaxConnectionsPerIp = 1 }, () => now);
        entity.Tell(new OpenConnection("203.0.113.21", "lost", now));
        ExpectMsg<ConnectionAdmission>();

        now += Options.ConnectionLease + TimeSpan.FromSeconds(1);
        entity.Tell(new OpenConnection("203.0.113.21", "new", now));

        Assert.True(ExpectMsg<ConnectionAdmission>().Admitted);
    }

    [Fact]
    public void An_idle_entity_that_holds_nothing_asks_its_parent_to_passivate_it()
    {
        var parent = CreateTestProbe();
        var entity = parent.ChildActorOf(IpReputationActor.Props(Options, "203.0.113.30", TimeSpan.FromMilliseconds(200)));

        var passivate = parent.ExpectMsg<Akka.Cluster.Sharding.Passivate>(TimeSpan.FromSeconds(3));

        Assert.Equal(PoisonPill.Instance, passivate.StopMessage);
        Assert.NotNull(entity);
    }

    [Fact]
    public void An_idle_entity_with_an_open_connection_stays()
    {
        var parent = CreateTestProbe();
        var entity = parent.ChildActorOf(IpReputationActor.Props(Options, "203.0.113.31", TimeSpan.FromMilliseconds(200)));
        entity.Tell(new OpenConnection("203.0.113.31", "c1", DateTimeOffset.UtcNow), TestActor);
        ExpectMsg<ConnectionAdmission>();

        parent.ExpectNoMsg(TimeSpan.FromMilliseconds(800));
    }
}
