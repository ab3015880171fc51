using System.Collections.Concurrent;
using Bulwark.Delivery.Spool;
using Bulwark.Delivery.Transports;

namespace Bulwark.Delivery.Tests;

/// <summary>A transport whose outcome the test sets: every recipient gets <see cref="Outcome"/>.
/// While <see cref="Gate"/> is set, attempts stay in flight until it completes.</summary>
public sealed class ScriptedTransport : IDeliveryTransport
{
    private int _current;
    private int _maxConcurrent;
    private int _attempts;

    public string Name => "scripted";

    public volatile RecipientOutcome Outcome = RecipientOutcome.Deferred;
    public volatile TaskCompletionSource? Gate;
    public TimeSpan Delay = TimeSpan.Zero;

    public ConcurrentQueue<string> Delivered { get; } = new();
    public int Attempts => Volatile.Read(ref _attempts);
    public int MaxConcurrentSeen => Volatile.Read(ref _maxConcurrent);

    /// <summary>Sets a new gate and returns it; complete it (after clearing Gate) to let attempts finish.</summary>
    public TaskCompletionSource Hold() => Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release()
    {
        var gate = Gate;
        Gate = null;
        gate?.TrySetResult();
    }

    public async Task<IReadOnlyList<RecipientResult>> DeliverAsync(Envelope envelope, Stream body, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _current);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxConcurrent)) && Interlocked.CompareExchange(ref _maxConcurrent, now, seen) != seen) { }
        try
        {
            Interlocked.Increment(ref _attempts);
            if (Gate is { } gate) await gate.Task.WaitAsync(cancellationToken);
            if (Delay > TimeSpan.Zero) await Task.Delay(Delay, cancellationToken);
            var outcome = Outcome;
            if (outcome == RecipientOutcome.Delivered)
            {
                await body.CopyToAsync(Stream.Null, cancellationToken);
                Delivered.Enqueue(envelope.QueueId);
            }
            var detail = outcome switch
            {
                RecipientOutcome.Failed => "550 5.1.1 no such user",
                RecipientOutcome.Deferred => "451 4.3.0 try again later",
                _ => "250 ok",
            };
            return envelope.Recipients.Select(r => new RecipientResult(r, outcome, detail)).ToList();
        }
        finally
        {
            Interlocked.Decrement(ref _current);
        }
    }
}
