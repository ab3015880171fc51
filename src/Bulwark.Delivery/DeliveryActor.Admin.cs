using Akka.Actor;
using Akka.Event;
using Envelope = Bulwark.Delivery.Spool.Envelope;

namespace Bulwark.Delivery;

/// <summary>Queue administration (see QueueAdminProtocol.cs). Everything that reads or moves files
/// runs off the actor thread and is piped back; the actor alone changes its waiting / in-flight
/// sets, so a requeue or retry can never race a delivery attempt of the same message.</summary>
public sealed partial class DeliveryActor
{
    private readonly HashSet<string> _requeueing = new();
    private readonly List<IActorRef> _statsWaiters = new();
    private int _deadCount;
    private long _deadCountedAt = long.MinValue; // Environment.TickCount64; MinValue: stale
    private int _deadGeneration;
    private bool _countingDead;

    private void ReceiveAdmin()
    {
        Receive<ListQueue>(m =>
        {
            var listing = QueueAdmin.Listing(_waiting.Values, _inFlight.Values, m.Limit);
            var spool = _spool;
            Task.Run(() => QueueAdmin.WithSizes(listing, spool.BodySize)).PipeTo(Sender);
        });
        Receive<RetryNow>(m =>
        {
            if (_inFlight.ContainsKey(m.QueueId))
                Sender.Tell(new RetryResult(m.QueueId, true, "already being delivered"));
            else if (_waiting.TryGetValue(m.QueueId, out var env))
            {
                MakeDue(env);
                Pump();
                Sender.Tell(new RetryResult(m.QueueId, true, _inFlight.ContainsKey(m.QueueId)
                    ? "delivery started"
                    : $"due now; waits for a free delivery slot ({_inFlight.Count} in flight)"));
            }
            else Sender.Tell(new RetryResult(m.QueueId, false, "not in the queue"));
        });
        Receive<FlushQueue>(_ =>
        {
            var waiting = _waiting.Values.ToList();
            waiting.ForEach(MakeDue);
            Pump();
            Sender.Tell(new FlushResult(waiting.Count));
        });
        Receive<ListDeadLetters>(m =>
        {
            var spool = _spool;
            Task.Run(() => QueueAdmin.DeadLetters(spool.ListDeadLetters(), m.Limit)).PipeTo(Sender);
        });
        Receive<RequeueDeadLetter>(m =>
        {
            var id = m.QueueId;
            if (_waiting.ContainsKey(id) || _inFlight.ContainsKey(id))
            {
                Sender.Tell(new RequeueResult(id, false, "in the queue, not a dead letter"));
                return;
            }
            if (!_requeueing.Add(id))
            {
                Sender.Tell(new RequeueResult(id, true, "a requeue of this message is already under way"));
                return;
            }
            var (spool, replyTo) = (_spool, Sender);
            Task.Run(() => spool.RequeueDeadLetterAsync(id)).PipeTo(Self,
                success: env => new RequeueDone(id, env, null, replyTo),
                failure: ex => new RequeueDone(id, null, ex, replyTo));
        });
        Receive<RequeueDone>(m =>
        {
            _requeueing.Remove(m.QueueId);
            InvalidateDeadCount();
            if (m.Error is { } error)
            {
                _log.Error(error, "Requeue of dead letter {0} failed", m.QueueId);
                m.ReplyTo.Tell(new RequeueResult(m.QueueId, true, $"requeue failed: {error.Message}"));
            }
            else if (m.Envelope is { } env)
            {
                _log.Info("Dead letter {0} requeued by an operator", m.QueueId);
                Add(env);
                Pump();
                m.ReplyTo.Tell(new RequeueResult(m.QueueId, true, "requeued for delivery", Requeued: true));
            }
            else m.ReplyTo.Tell(new RequeueResult(m.QueueId, false, "no dead letter with this id"));
        });
        Receive<GetSpoolStats>(_ =>
        {
            if (DeadCountFresh) { Sender.Tell(Stats()); return; }
            _statsWaiters.Add(Sender);
            if (_countingDead) return;
            _countingDead = true;
            var (spool, generation) = (_spool, _deadGeneration);
            Task.Run(() => spool.CountDeadLetters()).PipeTo(Self,
                success: n => new DeadCounted(generation, n, null),
                failure: ex => new DeadCounted(generation, 0, ex));
        });
        Receive<DeadCounted>(m =>
        {
            _countingDead = false;
            if (m.Error is null)
            {
                _deadCount = m.Count;
                // Counted before a move the actor has since made: answer with it, but recount next time.
                if (m.Generation == _deadGeneration) _deadCountedAt = Environment.TickCount64;
            }
            else _log.Warning("Counting dead letters failed: {0}", m.Error.Message);
            var stats = Stats();
            _statsWaiters.ForEach(w => w.Tell(stats));
            _statsWaiters.Clear();
        });
    }

    private bool DeadCountFresh =>
        _deadCountedAt != long.MinValue
        && Environment.TickCount64 - _deadCountedAt < (long)_options.DeadLetterCountRefresh.TotalMilliseconds;

    private void InvalidateDeadCount()
    {
        _deadGeneration++;
        _deadCountedAt = long.MinValue;
    }

    private SpoolStats Stats() => QueueAdmin.Stats(_waiting.Values, _inFlight.Values, _deadCount, DateTimeOffset.UtcNow);

    /// <summary>NextAttemptAt null is "due now" (see Due): the stale schedule entry at the old time
    /// is skipped by Pump.</summary>
    private void MakeDue(Envelope env)
    {
        if (env.NextAttemptAt is null) return;
        _waiting[env.QueueId] = env with { NextAttemptAt = null };
        _schedule.Enqueue(env.QueueId, DateTimeOffset.MinValue);
    }

    private sealed record RequeueDone(string QueueId, Envelope? Envelope, Exception? Error, IActorRef ReplyTo);

    private sealed record DeadCounted(int Generation, int Count, Exception? Error);
}
