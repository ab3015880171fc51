namespace Bulwark.Content.Scanners;

public enum CircuitState { Closed, Open, HalfOpen }

/// <summary>Totals since start, for metrics.</summary>
public sealed record CircuitBreakerCounters(long Failures, long Opens, long ShortCircuits);

/// <summary>
/// Keeps sessions from piling up behind a scanner that keeps failing: after
/// <c>failureThreshold</c> consecutive failures it opens and refuses calls at once for
/// <c>coolDown</c>; then exactly one trial call is let through (half-open) and its outcome
/// closes or re-opens it. Pure state machine (the clock is injected) and thread-safe.
/// Usage: <see cref="TryAcquire"/>, then exactly one of <see cref="RecordSuccess"/>,
/// <see cref="RecordFailure"/> or <see cref="Abandon"/> for each granted call.
/// </summary>
public sealed class CircuitBreaker
{
    public const int DefaultFailureThreshold = 3;
    public static readonly TimeSpan DefaultCoolDown = TimeSpan.FromSeconds(30);

    private readonly object _gate = new();
    private readonly TimeProvider _clock;
    private CircuitState _state = CircuitState.Closed;
    private int _consecutiveFailures;
    private DateTimeOffset _openedAt;
    private DateTimeOffset _trialStartedAt;
    private bool _trialInFlight;
    private long _failures, _opens, _shortCircuits;

    public CircuitBreaker(int failureThreshold = DefaultFailureThreshold, TimeSpan? coolDown = null, TimeProvider? clock = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failureThreshold, 1);
        FailureThreshold = failureThreshold;
        CoolDown = coolDown ?? DefaultCoolDown;
        ArgumentOutOfRangeException.ThrowIfLessThan(CoolDown, TimeSpan.Zero);
        _clock = clock ?? TimeProvider.System;
    }

    public int FailureThreshold { get; }
    public TimeSpan CoolDown { get; }

    public CircuitState State { get { lock (_gate) return _state; } }

    public CircuitBreakerCounters Counters { get { lock (_gate) return new(_failures, _opens, _shortCircuits); } }

    /// <summary>True when the call may go ahead; false means refuse it now (counted as a short-circuit).</summary>
    public bool TryAcquire()
    {
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            switch (_state)
            {
                case CircuitState.Closed:
                    return true;
                case CircuitState.Open when now - _openedAt >= CoolDown:
                    _state = CircuitState.HalfOpen;
                    return StartTrial(now);
                case CircuitState.HalfOpen when !_trialInFlight || now - _trialStartedAt >= CoolDown:
                    // A trial whose caller never reported back (it crashed or was cancelled
                    // without Abandon) must not keep the breaker half-open forever.
                    return StartTrial(now);
                default:
                    _shortCircuits++;
                    return false;
            }
        }
    }

    public void RecordSuccess()
    {
        lock (_gate)
        {
            _consecutiveFailures = 0;
            _trialInFlight = false;
            _state = CircuitState.Closed;
        }
    }

    public void RecordFailure()
    {
        lock (_gate)
        {
            _failures++;
            _consecutiveFailures++;
            var trialFailed = _state == CircuitState.HalfOpen;
            _trialInFlight = false;
            if (trialFailed || (_state == CircuitState.Closed && _consecutiveFailures >= FailureThreshold))
            {
                _state = CircuitState.Open;
                _openedAt = _clock.GetUtcNow();
                _opens++;
            }
        }
    }

    /// <summary>The granted call ended without telling anything about the scanner (the caller
    /// cancelled): no state change, but a half-open trial slot is freed for the next caller.</summary>
    public void Abandon()
    {
        lock (_gate) _trialInFlight = false;
    }

    private bool StartTrial(DateTimeOffset now)
    {
        _trialInFlight = true;
        _trialStartedAt = now;
        return true;
    }
}
