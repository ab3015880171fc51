using Akka.Configuration;
using Akka.Event;
using Akka.TestKit;
using Bulwark.Content.Scanners;

namespace Bulwark.Content.Tests.Scanners;

/// <summary>Our use of Akka's circuit breaker: what counts as a failure, what is answered while
/// open, and the counters, with the cool-down timed by a manual scheduler.</summary>
public sealed class ScannerBreakerTests
{
    private readonly TestScheduler _scheduler = new(ConfigurationFactory.Default(), NoLogger.Instance);

    private ScannerBreaker Breaker(int threshold = 3, int coolDownSeconds = 30, TimeSpan? callTimeout = null) =>
        new(_scheduler, threshold, TimeSpan.FromSeconds(coolDownSeconds), callTimeout);

    /// <summary>One call with the given outcome; false when the breaker refused it without calling.</summary>
    private static async Task<bool> Call(ScannerBreaker b, bool scannerFails, Task<bool>? pending = null)
    {
        var called = false;
        await b.CallAsync(() => { called = true; return pending ?? Task.FromResult(scannerFails); }, failed => failed, () => true);
        return called;
    }

    private static async Task Fail(ScannerBreaker b, int times)
    {
        for (var i = 0; i < times; i++) Assert.True(await Call(b, scannerFails: true));
    }

    [Fact]
    public void Defaults_are_three_failures_and_thirty_seconds()
    {
        var b = new ScannerBreaker(_scheduler);
        Assert.Equal(3, b.FailureThreshold);
        Assert.Equal(TimeSpan.FromSeconds(30), b.CoolDown);
        Assert.Equal(CircuitState.Closed, b.State);
    }

    [Fact]
    public async Task Opens_after_n_consecutive_failures_and_refuses_at_once()
    {
        var b = Breaker();
        await Fail(b, 2);
        Assert.Equal(CircuitState.Closed, b.State);
        await Fail(b, 1);
        Assert.Equal(CircuitState.Open, b.State);
        Assert.False(await Call(b, false));
        Assert.False(await Call(b, false));
        Assert.Equal(new CircuitBreakerCounters(Failures: 3, Opens: 1, ShortCircuits: 2), b.Counters);
    }

    [Fact]
    public async Task A_success_resets_the_consecutive_count()
    {
        var b = Breaker();
        await Fail(b, 2);
        Assert.True(await Call(b, scannerFails: false));
        await Fail(b, 2);
        Assert.Equal(CircuitState.Closed, b.State);
        Assert.Equal(4, b.Counters.Failures);
    }

    [Fact]
    public async Task An_answer_that_is_not_the_scanner_failing_is_returned_and_not_counted()
    {
        var b = Breaker(threshold: 1);
        var answer = await b.CallAsync(() => Task.FromResult("too large"), _ => false, () => "open");
        Assert.Equal("too large", answer);
        Assert.Equal(CircuitState.Closed, b.State);
        Assert.Equal("failed", await b.CallAsync(() => Task.FromResult("failed"), _ => true, () => "open"));
        Assert.Equal("open", await b.CallAsync(() => Task.FromResult("x"), _ => false, () => "open"));
    }

    [Fact]
    public async Task After_the_cool_down_one_trial_goes_through_and_its_success_closes()
    {
        var b = Breaker();
        await Fail(b, 3);
        _scheduler.Advance(TimeSpan.FromSeconds(29));
        Assert.False(await Call(b, false));
        _scheduler.Advance(TimeSpan.FromSeconds(1));
        var trial = new TaskCompletionSource<bool>();
        var running = Call(b, false, trial.Task);
        Assert.Equal(CircuitState.HalfOpen, b.State);
        Assert.False(await Call(b, false)); // only one trial at a time
        trial.SetResult(false);
        Assert.True(await running);
        Assert.Equal(CircuitState.Closed, b.State);
        Assert.True(await Call(b, false));
    }

    [Fact]
    public async Task A_failed_trial_reopens_for_another_full_cool_down()
    {
        var b = Breaker();
        await Fail(b, 3);
        _scheduler.Advance(TimeSpan.FromSeconds(30));
        await Fail(b, 1);
        Assert.Equal(CircuitState.Open, b.State);
        Assert.Equal(2, b.Counters.Opens);
        _scheduler.Advance(TimeSpan.FromSeconds(29));
        Assert.False(await Call(b, false));
        _scheduler.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await Call(b, false));
    }

    [Fact]
    public async Task A_trial_that_never_reports_back_fails_by_the_call_timeout_and_reopens()
    {
        var b = Breaker(callTimeout: TimeSpan.FromMilliseconds(200));
        await Fail(b, 3);
        _scheduler.Advance(TimeSpan.FromSeconds(30));
        var never = new TaskCompletionSource<bool>();
        var trial = Call(b, false, never.Task);
        await Assert.ThrowsAnyAsync<Exception>(() => trial);
        Assert.Equal(CircuitState.Open, b.State);
        _scheduler.Advance(TimeSpan.FromSeconds(30));
        Assert.True(await Call(b, false));
    }

    [Fact]
    public async Task Concurrent_callers_in_half_open_get_exactly_one_trial()
    {
        var b = Breaker();
        await Fail(b, 3);
        _scheduler.Advance(TimeSpan.FromSeconds(30));
        var trial = new TaskCompletionSource<bool>();
        var granted = 0;
        var calls = Enumerable.Range(0, 64).Select(_ => Task.Run(() =>
            b.CallAsync(() => { Interlocked.Increment(ref granted); return trial.Task; }, failed => failed, () => true))).ToArray();
        // Every caller must have tried while the trial is still out (on a loaded machine the
        // tasks start late): only then may the trial end and close the breaker.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Volatile.Read(ref granted) + b.Counters.ShortCircuits < 64 && DateTime.UtcNow < deadline) await Task.Delay(10);
        trial.SetResult(false);
        await Task.WhenAll(calls);
        Assert.Equal(1, granted);
        Assert.Equal(63, b.Counters.ShortCircuits);
    }

    [Fact]
    public void Rejects_nonsense_settings()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScannerBreaker(_scheduler, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScannerBreaker(_scheduler, 1, TimeSpan.FromSeconds(-1)));
    }
}
