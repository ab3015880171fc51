using Bulwark.Delivery.Spool;

namespace Bulwark.Delivery;

/// <summary>Told by a session after <see cref="ISpoolEntry.CommitAsync"/>. Pass the envelope:
/// without it the actor has to scan the spool to find it.</summary>
public sealed record Enqueued(string QueueId, Envelope? Envelope = null);

/// <summary>Ask the delivery actor for <see cref="QueueStatus"/>.</summary>
public sealed record GetQueueStatus
{
    public static readonly GetQueueStatus Instance = new();
}

/// <summary>Messages the actor holds (waiting or in flight) and the oldest ReceivedAt among them.</summary>
public sealed record QueueStatus(int Depth, DateTimeOffset? Oldest);
