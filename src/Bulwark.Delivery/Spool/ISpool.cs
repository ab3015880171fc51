namespace Bulwark.Delivery.Spool;

/// <summary>
/// Durable store of accepted messages. A message is written through an <see cref="ISpoolEntry"/>
/// (body streamed in while DATA is read, memory stays bounded), and only after
/// <see cref="ISpoolEntry.CommitAsync"/> returns is it on disk (fsynced) and may the 250 be sent.
/// </summary>
public interface ISpool
{
    /// <summary>Starts a new message with a fresh queue id.</summary>
    ISpoolEntry Create();

    /// <summary>Envelopes of every committed message still in the spool (used on start to resume).</summary>
    IReadOnlyList<Envelope> List();

    /// <summary>Opens the body of a committed message for reading.</summary>
    Stream OpenBody(string queueId);

    /// <summary>Rewrites the envelope (attempt count, next attempt, last error) durably.</summary>
    Task UpdateAsync(Envelope envelope, CancellationToken cancellationToken = default);

    /// <summary>Removes a delivered message.</summary>
    void Delete(string queueId);

    /// <summary>Moves a message that can never be delivered (max age reached, or refused for good
    /// by the next hop) aside into the dead-letter folder; it is never bounced.</summary>
    void MoveToDeadLetter(string queueId, string reason);

    // Queue administration. Default bodies keep other implementations (test fakes) compiling: a
    // spool without dead letters or sizes simply reports none.

    /// <summary>Dead letters, oldest DeadAt first.</summary>
    IReadOnlyList<DeadLetter> ListDeadLetters() => [];

    /// <summary>Number of dead letters, without reading them (polled by the dashboard).</summary>
    int CountDeadLetters() => ListDeadLetters().Count;

    /// <summary>Moves a dead letter back into the queue durably, with attempts reset; returns its new
    /// envelope, or null when there is no such dead letter.</summary>
    Task<Envelope?> RequeueDeadLetterAsync(string queueId, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} cannot requeue dead letters");

    /// <summary>Size of a queued message's body in bytes, or null if unknown or gone.</summary>
    long? BodySize(string queueId) => null;
}

/// <summary>One message being received. Dispose without commit discards it.</summary>
public interface ISpoolEntry : IDisposable
{
    string QueueId { get; }

    /// <summary>Where the (already dot-unstuffed, CRLF) message bytes go.</summary>
    Stream Body { get; }

    /// <summary>Flushes what was written so far and opens it for reading: content scanners read
    /// the body after DATA and before the commit decides what happens to it.</summary>
    Stream OpenWritten();

    /// <summary>Flushes and fsyncs body and envelope, then makes the message visible to delivery.</summary>
    Task CommitAsync(Envelope envelope, CancellationToken cancellationToken = default);
}
