using Bulwark.Delivery.Spool;

namespace Bulwark.Delivery;

/// <summary>Pure views of the delivery actor's state for queue administration.</summary>
public static class QueueAdmin
{
    public static QueueListing Listing(IReadOnlyCollection<Envelope> waiting, IReadOnlyCollection<Envelope> inFlight, int limit)
    {
        var entries = waiting.Select(e => Entry(e, QueueEntryStates.Waiting))
            .Concat(inFlight.Select(e => Entry(e, QueueEntryStates.InFlight)))
            .OrderBy(e => e.ReceivedAt).ThenBy(e => e.QueueId, StringComparer.Ordinal)
            .Take(Math.Max(limit, 0))
            .ToList();
        return new QueueListing(waiting.Count + inFlight.Count, entries);
    }

    /// <summary>Fills SizeBytes; size may touch the disk, so the actor calls this off its thread.</summary>
    public static QueueListing WithSizes(QueueListing listing, Func<string, long?> size) =>
        listing with { Entries = listing.Entries.Select(e => e with { SizeBytes = size(e.QueueId) }).ToList() };

    public static SpoolStats Stats(IReadOnlyCollection<Envelope> waiting, IReadOnlyCollection<Envelope> inFlight, int deadLetters, DateTimeOffset now)
    {
        DateTimeOffset? oldest = null;
        foreach (var e in waiting.Concat(inFlight))
            if (oldest is null || e.ReceivedAt < oldest) oldest = e.ReceivedAt;
        var age = oldest is { } o && now > o ? (now - o).TotalSeconds : 0;
        return new SpoolStats(waiting.Count + inFlight.Count, inFlight.Count, oldest, age, deadLetters);
    }

    /// <summary>The newest <paramref name="limit"/>: a stuck queue shows its oldest, but an operator
    /// looking at dead letters wants what just failed.</summary>
    public static DeadLetterListing DeadLetters(IReadOnlyList<DeadLetter> all, int limit)
    {
        var entries = all.OrderBy(d => d.DeadAt).ThenBy(d => d.Envelope.QueueId, StringComparer.Ordinal)
            .Select(d => new DeadLetterEntry(d.Envelope.QueueId, d.Envelope.Sender, d.Envelope.Recipients.ToArray(),
                d.Envelope.ReceivedAt, d.Reason, d.DeadAt))
            .ToList();
        var keep = Math.Clamp(limit, 0, entries.Count);
        return new DeadLetterListing(entries.Count, entries.GetRange(entries.Count - keep, keep));
    }

    private static QueueEntry Entry(Envelope e, string state) =>
        new(e.QueueId, e.Sender, e.Recipients.ToArray(), e.ReceivedAt, e.Attempts, e.NextAttemptAt, e.LastError, state, null);
}
