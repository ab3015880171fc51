using Akka.Actor;
using Akka.Event;
using Bulwark.Delivery.Transports;
using Envelope = Bulwark.Delivery.Spool.Envelope;
using FileSpool = Bulwark.Delivery.Spool.FileSpool;
using ISpool = Bulwark.Delivery.Spool.ISpool;

namespace Bulwark.Delivery;

/// <summary>
/// Drains the spool into the transport: resumes everything the spool holds on start, takes new
/// messages from <see cref="Enqueued"/>, runs at most MaxConcurrent attempts at once (each on the
/// thread pool, result piped back), and schedules retries with one Akka timer set to the earliest
/// due message. Never generates a bounce or DSN.
/// </summary>
public sealed partial class DeliveryActor : ReceiveActor, IWithTimers
{
    private const string WakeTimer = "wake";

    private readonly ISpool _spool;
    private readonly IDeliveryTransport _transport;
    private readonly DeliveryOptions _options;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Dictionary<string, Envelope> _waiting = new();
    private readonly Dictionary<string, Envelope> _inFlight = new();
    // May hold stale entries (a message rescheduled or already started): checked when popped.
    private readonly PriorityQueue<string, DateTimeOffset> _schedule = new();

    public DeliveryActor(ISpool spool, IDeliveryTransport transport, DeliveryOptions options)
    {
        _spool = spool;
        _transport = transport;
        _options = options;

        Receive<Resumed>(m =>
        {
            foreach (var e in m.Envelopes) Add(e);
            if (m.FromStart) _log.Info("Delivery resumed {0} message(s) from the spool", m.Envelopes.Count);
            Pump();
        });
        Receive<ResumeFailed>(m => _log.Error(m.Cause, "Delivery could not list the spool"));
        Receive<Enqueued>(m =>
        {
            if (m.Envelope is { } env) { Add(env with { QueueId = m.QueueId }); Pump(); return; }
            var id = m.QueueId;
            // Without the envelope: read just that one from a FileSpool, else scan the spool.
            var spool = _spool;
            Task.Run(() => spool switch
                {
                    FileSpool fs => fs.TryGet(id) is { } one ? new[] { one } : Array.Empty<Envelope>(),
                    Spool.Segments.SegmentSpool ss => ss.TryGet(id) is { } one ? new[] { one } : Array.Empty<Envelope>(),
                    _ => (IReadOnlyList<Envelope>)spool.List().Where(e => e.QueueId == id).ToList(),
                })
                .PipeTo(Self, success: l => new Resumed(l, false), failure: ex => new ResumeFailed(ex));
        });
        Receive<AttemptFinished>(m =>
        {
            _inFlight.Remove(m.QueueId);
            if (m.DeadLettered) InvalidateDeadCount();
            if (m.Warning) _log.Warning("Delivery {0}", m.Summary); else _log.Info("Delivery {0}", m.Summary);
            if (m.Retry is { } retry) Add(retry);
            Pump();
        });
        Receive<Wake>(_ => Pump());
        Receive<GetQueueStatus>(_ =>
        {
            var all = _waiting.Values.Concat(_inFlight.Values).ToList();
            Sender.Tell(new QueueStatus(all.Count, all.Count == 0 ? null : all.Min(e => e.ReceivedAt)));
        });
        ReceiveAdmin();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ISpool spool, IDeliveryTransport transport, DeliveryOptions options) =>
        Akka.Actor.Props.Create(() => new DeliveryActor(spool, transport, options));

    protected override void PreStart()
    {
        // Listing reads every envelope: off the actor thread. Messages enqueued meanwhile are
        // de-duplicated by id when the list arrives.
        Task.Run(() => _spool.List())
            .PipeTo(Self, success: l => new Resumed(l, true), failure: ex => new ResumeFailed(ex));
    }

    protected override void PostStop() => _shutdown.Cancel();

    private void Add(Envelope envelope)
    {
        if (_waiting.ContainsKey(envelope.QueueId) || _inFlight.ContainsKey(envelope.QueueId)) return;
        _waiting[envelope.QueueId] = envelope;
        _schedule.Enqueue(envelope.QueueId, Due(envelope));
    }

    private static DateTimeOffset Due(Envelope e) => e.NextAttemptAt ?? DateTimeOffset.MinValue;

    private void Pump()
    {
        var now = DateTimeOffset.UtcNow;
        while (_inFlight.Count < _options.MaxConcurrent && _schedule.TryPeek(out var id, out var due))
        {
            if (!_waiting.TryGetValue(id, out var env) || Due(env) != due) { _schedule.Dequeue(); continue; }
            if (due > now) break;
            _schedule.Dequeue();
            Start(env);
        }
        if (_inFlight.Count < _options.MaxConcurrent && _schedule.TryPeek(out _, out var next))
        {
            var delay = next - now;
            Timers.StartSingleTimer(WakeTimer, Wake.Instance, delay > TimeSpan.FromMilliseconds(1) ? delay : TimeSpan.FromMilliseconds(1));
        }
    }

    private void Start(Envelope env)
    {
        _waiting.Remove(env.QueueId);
        _inFlight[env.QueueId] = env;
        var (spool, transport, options, token) = (_spool, _transport, _options, _shutdown.Token);
        Task.Run(() => DeliveryAttempt.RunAsync(spool, transport, env, options, token))
            .PipeTo(Self, failure: ex => new AttemptFinished(env.QueueId,
                DeliveryAttempt.RetryInMemory(env, options, ex.Message), $"{env.QueueId} attempt crashed: {ex.Message}", true));
    }

    private sealed record Resumed(IReadOnlyList<Envelope> Envelopes, bool FromStart);

    private sealed record ResumeFailed(Exception Cause);

    private sealed record Wake
    {
        public static readonly Wake Instance = new();
    }
}
