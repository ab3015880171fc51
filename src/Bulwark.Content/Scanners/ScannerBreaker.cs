using Akka.Actor;
using Akka.Pattern;

namespace Bulwark.Content.Scanners;

public enum CircuitState { Closed, Open, HalfOpen }

/// <summary>Totals since start, for metrics and the dashboard.</summary>
public sealed record CircuitBreakerCounters(long Failures, long Opens, long ShortCircuits);

/// <summary>
/// Keeps sessions from piling up behind a scanner that keeps failing, on Akka's
/// <see cref="CircuitBreaker"/>: after <see cref="FailureThreshold"/> consecutive failures it
/// opens and refuses calls at once for <see cref="CoolDown"/>; then one trial call goes through
/// (half-open) and its outcome closes or re-opens it. What is ours: which results count as the
/// scanner failing (a scanner that answers "this message is too large" is healthy), the answer
/// given while open, and the counters.
/// </summary>
public sealed class ScannerBreaker
{
    public const int DefaultFailureThreshold = 3;
    public static readonly TimeSpan DefaultCoolDown = TimeSpan.FromSeconds(30);

    private readonly CircuitBreaker _breaker;
    private long _failures, _opens, _shortCircuits;
    // 1 from the failure that opened the breaker until a call is let through again: Akka tells
    // its listeners on another thread, later, so the open is counted here, once.
    private int _openCounted;

    /// <param name="callTimeout">A call still running after this counts as a failure (the
    /// scanner clients time out sooner; this bounds a trial that never reports back).</param>
    public ScannerBreaker(IScheduler scheduler, int failureThreshold = DefaultFailureThreshold, TimeSpan? coolDown = null, TimeSpan? callTimeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failureThreshold, 1);
        FailureThreshold = failureThreshold;
        CoolDown = coolDown ?? DefaultCoolDown;
        ArgumentOutOfRangeException.ThrowIfLessThan(CoolDown, TimeSpan.Zero);
        _breaker = new CircuitBreaker(scheduler, failureThreshold, callTimeout ?? TimeSpan.FromMinutes(2), CoolDown);
    }

    public int FailureThreshold { get; }
    public TimeSpan CoolDown { get; }

    public CircuitState State => _breaker.IsOpen ? CircuitState.Open : _breaker.IsHalfOpen ? CircuitState.HalfOpen : CircuitState.Closed;

    public CircuitBreakerCounters Counters =>
        new(Interlocked.Read(ref _failures), Interlocked.Read(ref _opens), Interlocked.Read(ref _shortCircuits));

    /// <summary>Runs one scanner call through the breaker.</summary>
    /// <param name="failed">Whether a result is the scanner failing (counted) rather than an answer.</param>
    /// <param name="whenOpen">The result while the breaker refuses calls.</param>
    public async Task<T> CallAsync<T>(Func<Task<T>> call, Func<T, bool> failed, Func<T> whenOpen)
    {
        try
        {
            return await _breaker.WithCircuitBreaker(async _ =>
            {
                Volatile.Write(ref _openCounted, 0);
                var result = await call().ConfigureAwait(false);
                if (!failed(result)) return result;
                Interlocked.Increment(ref _failures);
                // Akka's breaker counts what throws; the result itself is still what the caller gets.
                throw new ScannerFailed<T>(result);
            }).ConfigureAwait(false);
        }
        catch (OpenCircuitException)
        {
            Interlocked.Increment(ref _shortCircuits);
            return whenOpen();
        }
        catch (ScannerFailed<T> failure)
        {
            CountOpen();
            return failure.Result;
        }
        catch (Exception)
        {
            // A call that timed out (or threw) counts against the scanner too.
            CountOpen();
            throw;
        }
    }

    private void CountOpen()
    {
        if (_breaker.IsOpen && Interlocked.CompareExchange(ref _openCounted, 1, 0) == 0) Interlocked.Increment(ref _opens);
    }

    private sealed class ScannerFailed<T>(T result) : Exception("scanner unavailable")
    {
        public T Result { get; } = result;
    }
}
