using Akka;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Bulwark.Contracts.IpReputation;
using Bulwark.NodeCaches;

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
    private readonly Func<Offset, Source<EventEnvelope, NotUsed>>? _liveBlockEvents;
    private readonly Func<DateTimeOffset> _clock;
    private Offset _journalOffset = Offset.NoOffset();
    private IMaterializer? _materializer;

    private IMaterializer Materializer => _materializer ??= Context.Materializer();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<IBlockEvent> _buffered = [];
    private readonly List<IActorRef> _waitingForLive = [];

    public BlockCacheActor(BlockList list, Func<Source<EventEnvelope, NotUsed>>? currentBlockEvents,
        Func<Offset, Source<EventEnvelope, NotUsed>>? liveBlockEvents = null, Func<DateTimeOffset>? clock = null)
    {
        _list = list;
        _currentBlockEvents = currentBlockEvents;
        _liveBlockEvents = liveBlockEvents;
        _clock = clock ?? (() => DateTimeOffset.UtcNow);
        Become(Subscribing);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="liveBlockEvents">Optional backstop: a live tag query from an offset. Pub-sub
    /// reaches a node only after gossip has told the others of its subscription (about a second
    /// after it joins); a block published in that window would be missed. Following the journal
    /// from where the replay ended closes the gap within the query's polling interval.</param>
    /// <param name="clock">Time source for pruning ended blocks (default UtcNow).</param>
    public static Props Props(BlockList list, Func<Source<EventEnvelope, NotUsed>>? currentBlockEvents = null,
        Func<Offset, Source<EventEnvelope, NotUsed>>? liveBlockEvents = null, Func<DateTimeOffset>? clock = null) =>
        Akka.Actor.Props.Create(() => new BlockCacheActor(list, currentBlockEvents, liveBlockEvents, clock));

    /// <summary>The node's wiring: the replay is every event tagged <see cref="BlockTopic.PersistenceTag"/>
    /// in the journal, the follow is the live tag query from where the replay ended.</summary>
    public static Props FromJournal<TJournal>(BlockList list, TJournal journal, Func<DateTimeOffset>? clock = null)
        where TJournal : ICurrentEventsByTagQuery, IEventsByTagQuery =>
        Props(list,
            () => journal.CurrentEventsByTag(BlockTopic.PersistenceTag, Offset.NoOffset()),
            offset => journal.EventsByTag(BlockTopic.PersistenceTag, offset),
            clock);

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
                .RunWith(Sink.Seq<EventEnvelope>(), Materializer)
                .PipeTo(Self, success: envelopes => new ReplayDone(envelopes), failure: ex => new ReplayFailed(ex));
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
            foreach (var envelope in done.Envelopes)
            {
                if (envelope.Event is IBlockEvent evt) _list.Apply(evt);
                _journalOffset = envelope.Offset;
            }
            _log.Info("block cache rebuilt from {0} journal events", done.Envelopes.Count);
            GoLive();
            FollowJournal();
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
        Receive<JournalEvent>(e =>
        {
            if (e.Envelope.Event is IBlockEvent evt) _list.Apply(evt);
            _journalOffset = e.Envelope.Offset;
        });
        Receive<JournalFollowEnded>(ended =>
        {
            _log.Warning("block journal follow ended ({0}); restarting in {1}", ended.Reason, ReplayRetry);
            Timers.StartSingleTimer("follow", FollowAgain.Instance, ReplayRetry);
        });
        Receive<FollowAgain>(_ => FollowJournal());
    }

    /// <summary>Applies every block event written after the replay, as the journal gets it.</summary>
    private void FollowJournal()
    {
        if (_liveBlockEvents is null) return;
        var self = Self;
        _liveBlockEvents(_journalOffset)
            .RunForeach(envelope => self.Tell(new JournalEvent(envelope)), Materializer)
            .ContinueWith(t => (object)new JournalFollowEnded(t.Exception?.GetBaseException().Message ?? "completed"))
            .PipeTo(self);
    }

    private void PruneNow() => _list.Prune(_clock());

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

    private sealed record ReplayDone(IReadOnlyList<EventEnvelope> Envelopes);

    private sealed record JournalEvent(EventEnvelope Envelope);

    private sealed record JournalFollowEnded(string Reason);

    private sealed class FollowAgain
    {
        public static readonly FollowAgain Instance = new();
    }

    private sealed record ReplayFailed(Exception Cause);
}
