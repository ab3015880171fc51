namespace Bulwark.Listener.Protocol;

/// <summary>
/// The command timeout of one connection, armed before each command read: one token source and
/// one timer for the connection's whole life, reset after every command, instead of a linked
/// source, a timer and two registrations allocated per command (issue #8). The armed token is
/// cancelled when the timeout passes, when the node stops and, if armed with
/// <c>drainingApplies</c>, when it starts draining, exactly as a source linked to those tokens.
/// </summary>
public sealed class CommandDeadline : IDisposable
{
    private readonly CancellationToken _draining;
    private readonly CancellationToken _stopping;
    private readonly CancellationTokenRegistration _onDraining;
    private readonly CancellationTokenRegistration _onStopping;
    // Arm and the two callbacks run on different threads; the lock orders "arm, then look at
    // the tokens" against "token cancelled, then look at what is armed", so no cancellation is lost.
    private readonly Lock _gate = new();
    private CancellationTokenSource _source = new();
    private bool _drainingApplies;
    private bool _disposed;

    public CommandDeadline(CancellationToken draining, CancellationToken stopping)
    {
        _draining = draining;
        _stopping = stopping;
        _onDraining = draining.UnsafeRegister(static s => ((CommandDeadline)s!).Cancel(draining: true), this);
        _onStopping = stopping.UnsafeRegister(static s => ((CommandDeadline)s!).Cancel(draining: false), this);
    }

    /// <summary>A token for the next read: cancelled after <paramref name="after"/>, on stopping,
    /// and on draining when <paramref name="drainingApplies"/>. Already cancelled if one of those
    /// tokens already is.</summary>
    public CancellationToken Arm(TimeSpan after, bool drainingApplies)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // A source whose timer fired between two commands cannot be reset; that is rare.
            if (!_source.TryReset())
            {
                _source.Dispose();
                _source = new CancellationTokenSource();
            }
            _drainingApplies = drainingApplies;
            if (_stopping.IsCancellationRequested || (drainingApplies && _draining.IsCancellationRequested))
                _source.Cancel();
            else
                _source.CancelAfter(after);
            return _source.Token;
        }
    }

    private void Cancel(bool draining)
    {
        lock (_gate)
        {
            if (_disposed || (draining && !_drainingApplies)) return;
            // Inside the lock, so that no Arm can reset this source for an in-transaction read in
            // between; CancelAsync runs the read's continuation elsewhere, never under the lock.
            _ = _source.CancelAsync();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        _onDraining.Dispose();
        _onStopping.Dispose();
        _source.Dispose();
    }
}
