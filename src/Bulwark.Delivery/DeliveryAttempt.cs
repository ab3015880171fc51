using Bulwark.Delivery.Spool;
using Bulwark.Delivery.Transports;

namespace Bulwark.Delivery;

/// <summary>Outcome of one attempt, piped back to the actor. Retry is the envelope to schedule
/// again (null when the message left the spool). DeadLettered: something went into dead/ (the
/// message or a copy), so the actor's cached dead-letter count is stale.</summary>
internal sealed record AttemptFinished(string QueueId, Envelope? Retry, string Summary, bool Warning, bool DeadLettered = false);

/// <summary>
/// One delivery attempt, run on the thread pool (never on the actor's thread): transport call,
/// pure plan, then the spool changes the plan asks for. It only touches the one message it was
/// given, which the actor holds as in flight, so it needs no lock.
/// </summary>
internal static class DeliveryAttempt
{
    public static async Task<AttemptFinished> RunAsync(ISpool spool, IDeliveryTransport transport, Envelope envelope,
        DeliveryOptions options, CancellationToken shutdown)
    {
        var id = envelope.QueueId;
        IReadOnlyList<RecipientResult> results;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
            timeout.CancelAfter(options.AttemptTimeout);
            await using var body = MessageBody.Open(spool, envelope);
            results = await transport.DeliverAsync(envelope, body, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new AttemptFinished(id, null, $"{id} is no longer in the spool", false);
        }
        catch (Exception e)
        {
            results = envelope.Recipients.Select(r => new RecipientResult(r, RecipientOutcome.Deferred, $"{transport.Name}: {e.Message}")).ToList();
        }

        var plan = DeliveryPlanner.Plan(envelope, results, DateTimeOffset.UtcNow, options);
        var summary = $"{id} via {transport.Name} attempt {envelope.Attempts + 1}: delivered {plan.Delivered}, failed {plan.Failed}, deferred {plan.Deferred}";
        try
        {
            var copied = plan.FailedCopy is not null;
            if (plan.FailedCopy is { } failed) await DeadLetterCopyAsync(spool, failed).ConfigureAwait(false);
            switch (plan.Action)
            {
                case PlanAction.Delete:
                    spool.Delete(id);
                    return new AttemptFinished(id, null, $"{summary}; done", plan.Failed > 0, copied);
                case PlanAction.Retry:
                    await spool.UpdateAsync(plan.Next!, CancellationToken.None).ConfigureAwait(false);
                    return new AttemptFinished(id, plan.Next, $"{summary}; retry at {plan.Next!.NextAttemptAt:O} ({plan.Next.LastError})", true, copied);
                default:
                    await spool.UpdateAsync(plan.Next!, CancellationToken.None).ConfigureAwait(false);
                    spool.MoveToDeadLetter(id, plan.DeadReason!);
                    return new AttemptFinished(id, null, $"{summary}; dead-lettered: {plan.DeadReason}", true, true);
            }
        }
        catch (FileNotFoundException)
        {
            return new AttemptFinished(id, null, $"{summary}; message vanished from the spool", true, plan.FailedCopy is not null);
        }
        catch (Exception e)
        {
            // The spool could not record the outcome (disk trouble): keep the message in memory and
            // retry; on disk it still has its old envelope, so nothing is lost (at least once).
            var retry = RetryInMemory(envelope, options, e.Message);
            return new AttemptFinished(id, retry, $"{summary}; spool error, retry at {retry.NextAttemptAt:O}: {e.Message}", true,
                plan.FailedCopy is not null);
        }
    }

    /// <summary>Used when the attempt task itself failed: retry later without touching the spool.</summary>
    public static Envelope RetryInMemory(Envelope envelope, DeliveryOptions options, string error) => envelope with
    {
        Attempts = envelope.Attempts + 1,
        NextAttemptAt = DateTimeOffset.UtcNow + DeliveryPlanner.Backoff(envelope.Attempts + 1, options),
        LastError = error,
    };

    /// <summary>A copy with just the refused recipients, committed then moved aside at once, so
    /// the evidence is kept without a bounce. A crash in between leaves the copy queued: it is
    /// then tried once more and refused again (at least once, never lost).</summary>
    private static async Task DeadLetterCopyAsync(ISpool spool, Envelope failed)
    {
        using var entry = spool.Create();
        await using (var source = spool.OpenBody(failed.QueueId))
            await source.CopyToAsync(entry.Body).ConfigureAwait(false);
        await entry.CommitAsync(failed with { QueueId = entry.QueueId }).ConfigureAwait(false);
        spool.MoveToDeadLetter(entry.QueueId, $"copy of {failed.QueueId}, refused by next hop: {failed.LastError}");
    }
}
