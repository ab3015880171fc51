using System.Collections.Immutable;
using Bulwark.Contracts.IpReputation;
using Bulwark.Entities.IpReputation;
using Bulwark.Policy.Reputation;

namespace Bulwark.Actors.Tests.Entities;

public sealed class JournalRetentionTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-04T01:40:00Z");
    private static readonly ReputationOptions Options = new();

    [Theory]
    [InlineData(9, 0, 10, false)]
    [InlineData(10, 0, 10, true)]
    [InlineData(19, 10, 10, false)]
    [InlineData(20, 10, 10, true)]
    [InlineData(25, 10, 10, true)] // a snapshot that failed is tried again at the next event
    [InlineData(500, 0, 0, false)] // 0 turns snapshots off
    public void A_snapshot_is_due_every_n_events_since_the_last(long last, long snapshot, int every, bool due) =>
        Assert.Equal(due, JournalRetention.SnapshotDue(last, snapshot, every));

    [Theory]
    [InlineData(10, 9)]
    [InlineData(1, 0)]
    public void A_snapshot_allows_deleting_every_event_but_its_own_newest(long snapshot, long upTo) =>
        Assert.Equal(upTo, JournalRetention.DeleteEventsUpTo(snapshot));

    [Fact]
    public void A_block_in_force_or_a_remembered_offence_is_something_to_remember()
    {
        var blocked = ReputationState.Empty.WithBlock(Now.AddMinutes(5), "r");
        var offended = ReputationState.Empty.WithOffence(1, Now.AddDays(-1));
        var forgotten = ReputationState.Empty.WithOffence(3, Now - Options.OffenceMemory - TimeSpan.FromMinutes(1))
            .WithBlock(Now.AddMinutes(-1), "over");

        Assert.False(JournalRetention.MayForget(blocked, Now, Options));
        Assert.False(JournalRetention.MayForget(offended, Now, Options));
        Assert.True(JournalRetention.MayForget(forgotten, Now, Options));
        Assert.True(JournalRetention.MayForget(ReputationState.Empty, Now, Options));
    }

    [Fact]
    public void A_snapshot_holds_the_block_the_offence_chain_and_the_operator_flag_and_gives_them_back()
    {
        var state = new ReputationState([Now.AddMinutes(-1)], 2, Now.AddMinutes(-3), Now.AddMinutes(20), "strikes");

        var snapshot = ReputationSnapshots.From("203.0.113.9", state, blockedByOperator: false);
        var back = ReputationSnapshots.ToState(snapshot);

        Assert.Equal(new IpReputationSnapshot("203.0.113.9", Now.AddMinutes(20), "strikes", false, 2, Now.AddMinutes(-3)), snapshot);
        Assert.Equal(state with { Strikes = ImmutableArray<DateTimeOffset>.Empty }, back);
    }

    [Fact]
    public void Without_a_block_the_operator_flag_is_not_kept()
    {
        var snapshot = ReputationSnapshots.From("203.0.113.9", ReputationState.Empty, blockedByOperator: true);

        Assert.False(snapshot.BlockedByOperator);
    }
}
