using Bulwark.Policy.Reputation;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Tests.Reputation;

public sealed class ReputationRulesTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ReputationOptions Options = new();

    private static (ReputationState State, BlockDecision? Block) Strikes(
        ReputationState state, int count, DateTimeOffset at, TimeSpan step = default)
    {
        BlockDecision? block = null;
        for (var i = 0; i < count; i++)
            (state, block) = ReputationRules.Apply(state, Evidence.UnknownRecipient, at + step * i, Options);
        return (state, block);
    }

    [Fact]
    public void Strikes_below_the_threshold_do_not_block()
    {
        var (state, block) = Strikes(ReputationState.Empty, 4, T0, TimeSpan.FromSeconds(1));

        Assert.Null(block);
        Assert.False(state.IsBlocked(T0 + TimeSpan.FromSeconds(5)));
        Assert.Equal(4, state.RecentStrikes(T0 + TimeSpan.FromSeconds(5), Options));
    }

    [Fact]
    public void Reaching_the_threshold_within_the_window_blocks_for_the_base_time_and_clears_strikes()
    {
        var (state, block) = Strikes(ReputationState.Empty, 5, T0, TimeSpan.FromMinutes(1));

        var at = T0 + TimeSpan.FromMinutes(4);
        Assert.NotNull(block);
        Assert.Equal(TimeSpan.FromMinutes(15), block.Duration);
        Assert.Equal(at + TimeSpan.FromMinutes(15), block.Until);
        Assert.Equal(1, block.Offences);
        Assert.True(state.IsBlocked(at));
        Assert.Empty(state.Strikes);
        Assert.Contains("UnknownRecipient", block.Reason);
    }

    [Fact]
    public void Strikes_that_slid_out_of_the_window_no_longer_count()
    {
        // Four strikes, then a pause longer than the window: the fifth is a first strike again.
        var (state, _) = Strikes(ReputationState.Empty, 4, T0);
        var later = T0 + Options.StrikeWindow + TimeSpan.FromSeconds(1);

        var (after, block) = ReputationRules.Apply(state, Evidence.RelayAttempt, later, Options);

        Assert.Null(block);
        Assert.Equal(1, after.RecentStrikes(later, Options));
        Assert.Single(after.Strikes);
    }

    [Fact]
    public void A_slow_steady_trickle_slides_and_never_reaches_the_threshold()
    {
        // One strike every 2.5 minutes keeps exactly 4 inside a 10 minute window.
        var (state, block) = Strikes(ReputationState.Empty, 50, T0, TimeSpan.FromSeconds(150));

        Assert.Null(block);
        Assert.False(state.IsBlocked(T0 + TimeSpan.FromHours(3)));
    }

    [Fact]
    public void Strike_memory_is_bounded_by_the_threshold()
    {
        var options = Options with { StrikeThreshold = 3 };
        var state = ReputationState.Empty;
        // Strikes spaced so two are always in the window: many of them, never a block.
        for (var i = 0; i < 100; i++)
            (state, _) = ReputationRules.Apply(state, Evidence.SpfFail, T0 + TimeSpan.FromMinutes(6) * i, options);

        Assert.True(state.Strikes.Length <= 3);
        Assert.False(state.IsBlocked(T0 + TimeSpan.FromMinutes(600)));
    }

    [Fact]
    public void Evidence_of_kind_none_adds_no_strike()
    {
        var state = ReputationState.Empty;
        for (var i = 0; i < 20; i++)
            (state, _) = ReputationRules.Apply(state, Evidence.None, T0, Options);

        Assert.Empty(state.Strikes);
        Assert.Equal(0, EvidenceWeights.Of(Evidence.None));
        Assert.Equal(1, EvidenceWeights.Of(Evidence.Virus));
    }

    [Fact]
    public void Evidence_during_a_block_does_not_extend_it()
    {
        var (blocked, first) = Strikes(ReputationState.Empty, 5, T0);

        var (after, again) = Strikes(blocked, 10, T0 + TimeSpan.FromMinutes(1));

        Assert.Null(again);
        Assert.Equal(first!.Until, after.BlockedUntil);
    }

    [Fact]
    public void Repeat_offenders_get_doubled_blocks()
    {
        var state = ReputationState.Empty;
        var durations = new List<TimeSpan>();
        var at = T0;
        for (var offence = 0; offence < 4; offence++)
        {
            (state, var block) = Strikes(state, 5, at);
            durations.Add(block!.Duration);
            at = block.Until + TimeSpan.FromMinutes(1);
        }

        Assert.Equal(
            [TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(120)],
            durations);
        Assert.Equal(4, state.Offences);
    }

    [Fact]
    public void Block_growth_is_capped_at_the_maximum()
    {
        Assert.Equal(TimeSpan.FromHours(24), ReputationRules.BlockDuration(7, Options));
        Assert.Equal(TimeSpan.FromHours(24), ReputationRules.BlockDuration(1_000, Options));
        Assert.Equal(TimeSpan.FromMinutes(15 * 64), ReputationRules.BlockDuration(6, Options));
    }

    [Fact]
    public void Offences_older_than_the_offence_memory_are_forgotten()
    {
        var (state, _) = Strikes(ReputationState.Empty, 5, T0);
        var muchLater = T0 + Options.OffenceMemory + TimeSpan.FromHours(1);

        var (_, block) = Strikes(state, 5, muchLater);

        Assert.Equal(TimeSpan.FromMinutes(15), block!.Duration);
        Assert.Equal(1, block.Offences);
    }

    [Fact]
    public void An_expired_block_lets_strikes_count_again()
    {
        var (state, first) = Strikes(ReputationState.Empty, 5, T0);
        var after = first!.Until + TimeSpan.FromSeconds(1);

        var (next, block) = ReputationRules.Apply(state, Evidence.ProtocolAbuse, after, Options);

        Assert.Null(block);
        Assert.False(next.IsBlocked(after));
        Assert.Equal(1, next.RecentStrikes(after, Options));
    }

    [Fact]
    public void Idle_means_no_block_and_no_recent_strikes()
    {
        var (struck, _) = Strikes(ReputationState.Empty, 1, T0);
        var (blocked, _) = Strikes(ReputationState.Empty, 5, T0);

        Assert.True(ReputationState.Empty.IsIdle(T0, Options));
        Assert.False(struck.IsIdle(T0, Options));
        Assert.True(struck.IsIdle(T0 + Options.StrikeWindow, Options));
        Assert.False(blocked.IsIdle(T0, Options));
    }
}
