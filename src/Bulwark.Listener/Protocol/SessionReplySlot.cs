using System.Threading.Tasks.Sources;
using Akka.Actor;
using Bulwark.Listener.Sessions;

namespace Bulwark.Listener.Protocol;

/// <summary>
/// Where a connection's session actor sends its answers. The I/O loop has one question open at
/// a time, so one reusable reply address with one timer per connection does what Ask did per
/// command: Ask registered a temporary actor, started and stopped a timer and allocated a
/// promise each time (5-8 KB and a registry insert and removal per message, bench/profile.sh).
/// An answer that comes after the timeout, or anything that is not a <see cref="SessionReply"/>,
/// is dropped: the loop has given up on that question and the connection is ending.
/// </summary>
public sealed class SessionReplySlot : MinimalActorRef, IValueTaskSource<SessionReply>, IDisposable
{
    private readonly IActorRefProvider _provider;
    private readonly ActorPath _path;
    private readonly Timer _timer;
    private ManualResetValueTaskSourceCore<SessionReply> _core = new() { RunContinuationsAsynchronously = true };
    private TimeSpan _timeout;
    private int _open;

    public SessionReplySlot(IActorRefProvider provider)
    {
        _provider = provider;
        _path = provider.TempPath();
        _timer = new Timer(static state => ((SessionReplySlot)state!).TimedOut(), this, Timeout.Infinite, Timeout.Infinite);
    }

    public override ActorPath Path => _path;

    public override IActorRefProvider Provider => _provider;

    /// <summary>Tells <paramref name="session"/> the message with this slot as its sender and
    /// waits for the answer; AskTimeoutException after <paramref name="timeout"/>.</summary>
    public ValueTask<SessionReply> AskAsync(IActorRef session, ISessionMessage message, TimeSpan timeout)
    {
        if (Interlocked.Exchange(ref _open, 1) == 1) throw new InvalidOperationException("a question is already open");
        _core.Reset();
        _timeout = timeout;
        _timer.Change(timeout, Timeout.InfiniteTimeSpan);
        session.Tell(message, this);
        return new ValueTask<SessionReply>(this, _core.Version);
    }

    protected override void TellInternal(object message, IActorRef sender)
    {
        if (message is not SessionReply reply || Interlocked.Exchange(ref _open, 0) == 0) return;
        _timer.Change(Timeout.Infinite, Timeout.Infinite);
        _core.SetResult(reply);
    }

    private void TimedOut()
    {
        if (Interlocked.Exchange(ref _open, 0) == 0) return;
        _core.SetException(new AskTimeoutException($"the session actor did not answer within {_timeout}"));
    }

    public SessionReply GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    public void Dispose() => _timer.Dispose();
}
