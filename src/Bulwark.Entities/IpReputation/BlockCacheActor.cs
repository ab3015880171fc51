using Akka;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace Bulwark.Entities.IpReputation;

/// <summary>
/// Keeps one listener's <see cref="BlockList"/> current: live block events from the pub-sub
/// topic, plus, at start, every block event still in the journal (a restarted or newly joined
/// listener would otherwise miss blocks decided before it subscribed).
///
/// Order matters. It subscribes first and waits for the acknowledgement, then replays the
/// journal while buffering live events, then applies the buffer: live events are never older
/// than what the replay saw, so for every key the newest event is applied last.
/// </summary>
public sealed class BlockCacheActor : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ReplayRetry = TimeSpan.FromSeconds(10);

    private readonly BlockList _list;
    private readonly Func<Source<EventEnvelope, NotUsed>>? _currentBlockEvents;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<IBlockEvent> _buffered = [];
    private readonly List<IActorRef> _waitingForLive = [];

    public BlockCacheActor(BlockList list, Func<Source<EventEnvelope, NotUsed>>? currentBlockEvents)
    {
        _list = list;
        _currentBlockEvents = currentBlockEvents;
        Become(Subscribing);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(BlockList list, Func<Source<EventEnvelope, NotUsed>>? currentBlockEvents = null) =>
        Akka.Actor.Props.Create(() => new BlockCacheActor(list, currentBlockEvents));

    protected override void PreStart()
    {
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(BlockTopic.Name, Self));
        Timers.StartPeriodicTimer("prune", Prune.Instance, PruneInterval);
    }

    private void Subscribing()
    {
        Receive<SubscribeAck>(_ => StartReplay());
        Receive<IBlockEvent>(_buffered.Add);
        Receive<AwaitLive>(_ => _waitingForLive.Add(Sender));
        Receive<Prune>(_ => PruneNow());
    }

    private void StartReplay()
    {
        if (_currentBlockEvents is null)
        {
            GoLive();
            return;
        }
        Become(Replaying);
        try
        {
            _currentBlockEvents()
                .Select(e => e.Event)
                .RunWith(Sink.Seq<object>(), Context.Materializer())
                .PipeTo(Self, success: events => new ReplayDone(events), failure: ex => new ReplayFailed(ex));
        }
        catch (Exception ex)
        {
            Self.Tell(new ReplayFailed(ex));
        }
    }

    private void Replaying()
    {
        Receive<IBlockEvent>(_buffered.Add);
        Receive<AwaitLive>(_ => _waitingForLive.Add(Sender));
        Receive<ReplayDone>(done =>
        {
            foreach (var evt in done.Events.OfType<IBlockEvent>())
                _list.Apply(evt);
            _log.Info("block cache rebuilt from {0} journal events", done.Events.Count);
            GoLive();
        });
        Receive<ReplayFailed>(failed =>
        {
            // Live events still apply meanwhile; the replay is tried again, so a journal that was
            // down at start does not leave this listener blind to older blocks for good.
            _log.Warning(failed.Cause, "block cache replay failed; retrying in {0}", ReplayRetry);
            Timers.StartSingleTimer("replay", RetryReplay.Instance, ReplayRetry);
            GoLive();
        });
        Receive<Prune>(_ => { });
    }

    private void GoLive()
    {
        foreach (var evt in _buffered)
            _list.Apply(evt);
        _buffered.Clear();
        PruneNow();
        foreach (var waiting in _waitingForLive) waiting.Tell(BlockCacheLive.Instance);
        _waitingForLive.Clear();
        Become(Live);
    }

    private void Live()
    {
        Receive<IBlockEvent>(_list.Apply);
        Receive<Prune>(_ => PruneNow());
        Receive<SubscribeAck>(_ => { });
        Receive<RetryReplay>(_ => StartReplay());
        Receive<AwaitLive>(_ => Sender.Tell(BlockCacheLive.Instance));
    }

    private void PruneNow() => _list.Prune(DateTimeOffset.UtcNow);

    /// <summary>Answered with <see cref="BlockCacheLive"/> once the cache holds the journal's
    /// blocks: the listener opens its port only then, so a restart lets no blocked IP through.</summary>
    public sealed class AwaitLive
    {
        public static readonly AwaitLive Instance = new();
    }

    public sealed class BlockCacheLive
    {
        public static readonly BlockCacheLive Instance = new();
    }

    private sealed class Prune
    {
        public static readonly Prune Instance = new();
    }

    private sealed class RetryReplay
    {
        public static readonly RetryReplay Instance = new();
    }

    private sealed record ReplayDone(IReadOnlyList<object> Events);

    private sealed record ReplayFailed(Exception Cause);
}
