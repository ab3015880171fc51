namespace Bulwark.Delivery;

// Queue administration messages for the DeliveryActor (admin API / CLI). Every reply is a plain
// record of strings, numbers, times and lists with a public constructor, so it can cross the
// cluster with Akka's default JSON serializer.

/// <summary>Ask for <see cref="QueueListing"/>: the first Limit messages by ReceivedAt.</summary>
public sealed record ListQueue(int Limit = 1000);

/// <summary>One queued message. Recipients: those still pending. State: <see cref="QueueEntryStates"/>.
/// NextAttemptAt null: due as soon as a delivery slot is free. SizeBytes null: unknown.</summary>
public sealed record QueueEntry(
    string QueueId,
    string Sender,
    IReadOnlyList<string> Recipients,
    DateTimeOffset ReceivedAt,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    string? LastError,
    string State,
    long? SizeBytes);

public static class QueueEntryStates
{
    public const string Waiting = "waiting";
    public const string InFlight = "in-flight";
}

/// <summary>Total: every message the actor holds; Entries: at most Limit of them, oldest first.</summary>
public sealed record QueueListing(int Total, IReadOnlyList<QueueEntry> Entries);

/// <summary>Make one waiting message due now. Answered with <see cref="RetryResult"/>.</summary>
public sealed record RetryNow(string QueueId);

public sealed record RetryResult(string QueueId, bool Found, string Message);

/// <summary>Make every waiting message due now (still at most MaxConcurrent at once).
/// Answered with <see cref="FlushResult"/>.</summary>
public sealed record FlushQueue
{
    public static readonly FlushQueue Instance = new();
}

/// <summary>Count: waiting messages made due.</summary>
public sealed record FlushResult(int Count);

/// <summary>Ask for <see cref="DeadLetterListing"/>: the newest Limit dead letters.</summary>
public sealed record ListDeadLetters(int Limit = 1000);

public sealed record DeadLetterEntry(
    string QueueId,
    string Sender,
    IReadOnlyList<string> Recipients,
    DateTimeOffset ReceivedAt,
    string Reason,
    DateTimeOffset DeadAt);

/// <summary>Total: every dead letter; Entries: the newest Limit of them, in DeadAt order (oldest first).</summary>
public sealed record DeadLetterListing(int Total, IReadOnlyList<DeadLetterEntry> Entries);

/// <summary>Move dead/&lt;id&gt; back into the queue and deliver it. Answered with <see cref="RequeueResult"/>.</summary>
public sealed record RequeueDeadLetter(string QueueId);

/// <summary>Found: a dead letter with this id existed. Requeued: it is back in the queue
/// (Found without Requeued: the move failed, Message says why).</summary>
public sealed record RequeueResult(string QueueId, bool Found, string Message, bool Requeued = false);

/// <summary>Ask for <see cref="SpoolStats"/> (cheap: polled by the dashboard).</summary>
public sealed record GetSpoolStats
{
    public static readonly GetSpoolStats Instance = new();
}

/// <summary>Depth: messages held (waiting + in flight). OldestAgeSeconds: 0 when empty.
/// DeadLetters: may be a few seconds old (see DeliveryOptions.DeadLetterCountRefresh).</summary>
public sealed record SpoolStats(int Depth, int InFlight, DateTimeOffset? OldestReceivedAt, double OldestAgeSeconds, int DeadLetters);
