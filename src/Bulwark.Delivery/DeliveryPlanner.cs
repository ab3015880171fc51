using Bulwark.Delivery.Spool;
using Bulwark.Delivery.Transports;

namespace Bulwark.Delivery;

public enum PlanAction
{
    /// <summary>Nothing left to do: remove the message from the spool.</summary>
    Delete,
    /// <summary>Rewrite the envelope (deferred recipients only) and try again at NextAttemptAt.</summary>
    Retry,
    /// <summary>Rewrite the envelope (recipients left) and move the message to the dead letters.</summary>
    DeadLetter,
}

/// <summary>What to do after one attempt. <see cref="FailedCopy"/>: when some recipients were
/// refused for good (5xx) while others were delivered or deferred, a copy of the message with just
/// those recipients goes to the dead letters (evidence kept, never bounced).</summary>
public sealed record DeliveryPlan(
    PlanAction Action,
    Envelope? Next,
    string? DeadReason,
    Envelope? FailedCopy,
    int Delivered,
    int Failed,
    int Deferred);

/// <summary>Pure decision after an attempt: which recipients remain, when to retry, when to give up.</summary>
public static class DeliveryPlanner
{
    public static DeliveryPlan Plan(Envelope envelope, IReadOnlyList<RecipientResult> results, DateTimeOffset now, DeliveryOptions options)
    {
        // A recipient the transport did not report on is treated as deferred: never lose one.
        var byRcpt = results.GroupBy(r => r.Recipient, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Last(), StringComparer.OrdinalIgnoreCase);
        var outcome = envelope.Recipients.Select(r => byRcpt.TryGetValue(r, out var res)
            ? res with { Recipient = r }
            : new RecipientResult(r, RecipientOutcome.Deferred, "no result from transport")).ToList();
        var delivered = outcome.Where(o => o.Outcome == RecipientOutcome.Delivered).ToList();
        var failed = outcome.Where(o => o.Outcome == RecipientOutcome.Failed).ToList();
        var deferred = outcome.Where(o => o.Outcome == RecipientOutcome.Deferred).ToList();
        var attempts = envelope.Attempts + 1;

        Envelope With(List<RecipientResult> rcpts) => envelope with
        {
            Recipients = rcpts.Select(r => r.Recipient).ToList(),
            Attempts = attempts,
            LastError = rcpts.Count > 0 ? rcpts[0].Detail : envelope.LastError,
        };
        DeliveryPlan Make(PlanAction a, Envelope? next, string? reason, Envelope? copy) =>
            new(a, next, reason, copy, delivered.Count, failed.Count, deferred.Count);

        if (deferred.Count == 0)
        {
            if (failed.Count == 0) return Make(PlanAction.Delete, null, null, null);
            if (delivered.Count == 0)
                return Make(PlanAction.DeadLetter, With(failed) with { NextAttemptAt = null }, $"refused by next hop: {failed[0].Detail}", null);
            return Make(PlanAction.Delete, null, null, With(failed) with { NextAttemptAt = null });
        }

        var copy = failed.Count > 0 ? With(failed) with { NextAttemptAt = null } : null;
        // A dead letter requeued by an operator (typically after fixing the next hop) would otherwise
        // be past its max age already and go straight back to the dead letters on the first 4xx.
        var windowStart = envelope.RequeuedAt is { } requeued && requeued > envelope.ReceivedAt ? requeued : envelope.ReceivedAt;
        var expiry = windowStart + options.MaxAge;
        if (now >= expiry)
            return Make(PlanAction.DeadLetter, With(deferred) with { NextAttemptAt = null },
                $"max age {options.MaxAge} reached after {attempts} attempts: {deferred[0].Detail}", copy);

        // The last retry happens at expiry at the latest, so a message is tried once more then.
        var next = now + Backoff(attempts, options);
        if (next > expiry) next = expiry;
        return Make(PlanAction.Retry, With(deferred) with { NextAttemptAt = next }, null, copy);
    }

    /// <summary>InitialRetry * 2^(attempts-1), capped at MaxRetry (attempts counts from 1).</summary>
    public static TimeSpan Backoff(int attempts, DeliveryOptions options)
    {
        var exp = Math.Min(Math.Max(attempts - 1, 0), 40);
        var ms = options.InitialRetry.TotalMilliseconds * Math.Pow(2, exp);
        return ms >= options.MaxRetry.TotalMilliseconds ? options.MaxRetry : TimeSpan.FromMilliseconds(ms);
    }
}
