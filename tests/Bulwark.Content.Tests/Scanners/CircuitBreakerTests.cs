using Bulwark.Content.Scanners;

namespace Bulwark.Content.Tests.Scanners;

public sealed class CircuitBreakerTests
{
    private readonly ManualClock _clock = new();

    private CircuitBreaker Breaker(int threshold = 3, int coolDownSeconds = 30) =>
        new(threshold, TimeSpan.FromSeconds(coolDownSeconds), _clock);

    private static void Fail(CircuitBreaker b, int times)
    {
        for (var i = 0; i < times; i++) { Assert.True(b.TryAcquire()); b.RecordFailure(); }
    }

    [Fact]
    public void Defaults_are_three_failures_and_thirty_seconds()
    {
        var b = new CircuitBreaker();
        Assert.Equal(3, b.FailureThreshold);
        Assert.Equal(TimeSpan.FromSeconds(30), b.CoolDown);
        Assert.Equal(CircuitState.Closed, b.State);
    }

    [Fact]
    public void Opens_after_n_consecutive_failures_and_refuses_at_once()
    {
        var b = Breaker();
        Fail(b, 2);
        Assert.Equal(CircuitState.Closed, b.State);
        Fail(b, 1);
        Assert.Equal(CircuitState.Open, b.State);
        Assert.False(b.TryAcquire());
        Assert.False(b.TryAcquire());
        Assert.Equal(new CircuitBreakerCounters(Failures: 3, Opens: 1, ShortCircuits: 2), b.Counters);
    }

    [Fact]
    public void A_success_resets_the_consecutive_count()
    {
        var b = Breaker();
        Fail(b, 2);
        Assert.True(b.TryAcquire());
        b.RecordSuccess();
        Fail(b, 2);
        Assert.Equal(CircuitState.Closed, b.State);
        Assert.Equal(4, b.Counters.Failures);
    }

    [Fact]
    public void After_the_cool_down_one_trial_goes_through_and_its_success_closes()
    {
        var b = Breaker();
        Fail(b, 3);
        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(b.TryAcquire());
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(b.TryAcquire());
        Assert.Equal(CircuitState.HalfOpen, b.State);
        Assert.False(b.TryAcquire()); // only one trial at a time
        b.RecordSuccess();
        Assert.Equal(CircuitState.Closed, b.State);
        Assert.True(b.TryAcquire());
    }

    [Fact]
    public void A_failed_trial_reopens_for_another_full_cool_down()
    {
        var b = Breaker();
        Fail(b, 3);
        _clock.Advance(TimeSpan.FromSeconds(30));
        Fail(b, 1);
        Assert.Equal(CircuitState.Open, b.State);
        Assert.Equal(2, b.Counters.Opens);
        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(b.TryAcquire());
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(b.TryAcquire());
    }

    [Fact]
    public void An_abandoned_trial_frees_the_slot_without_closing()
    {
        var b = Breaker();
        Fail(b, 3);
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True(b.TryAcquire());
        b.Abandon();
        Assert.Equal(CircuitState.HalfOpen, b.State);
        Assert.True(b.TryAcquire());
    }

    [Fact]
    public void A_trial_that_never_reports_back_expires_after_a_cool_down()
    {
        var b = Breaker();
        Fail(b, 3);
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True(b.TryAcquire());
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.False(b.TryAcquire());
        _clock.Advance(TimeSpan.FromSeconds(20));
        Assert.True(b.TryAcquire());
    }

    [Fact]
    public void Concurrent_callers_in_half_open_get_exactly_one_trial()
    {
        var b = Breaker();
        Fail(b, 3);
        _clock.Advance(TimeSpan.FromSeconds(30));
        var granted = 0;
        Parallel.For(0, 64, _ => { if (b.TryAcquire()) Interlocked.Increment(ref granted); });
        Assert.Equal(1, granted);
        Assert.Equal(63, b.Counters.ShortCircuits);
    }

    [Fact]
    public void Rejects_nonsense_settings()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CircuitBreaker(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CircuitBreaker(1, TimeSpan.FromSeconds(-1)));
    }
}
