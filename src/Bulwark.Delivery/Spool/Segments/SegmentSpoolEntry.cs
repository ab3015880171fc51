namespace Bulwark.Delivery.Spool.Segments;

/// <summary>One message being received into a <see cref="SegmentSpool"/>. Owned by one session.
/// The commit is a record handed to the spool's single writer; the body buffer must outlive the
/// append, so a Dispose racing an in-flight commit releases it only once that append is done.</summary>
internal sealed class SegmentSpoolEntry(SegmentSpool spool, string queueId, SegmentBodyBuffer body) : ISpoolEntry
{
    private Task? _inFlight;
    private bool _committed;
    private bool _disposed;

    public string QueueId { get; } = queueId;

    public Stream Body => body;

    public Stream OpenWritten()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return body.OpenRead();
    }

    /// <summary>The token is honoured only before the record is queued: once the writer has it, it
    /// may already be on disk, and the caller must learn the outcome.</summary>
    public async Task CommitAsync(Envelope envelope, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed || _inFlight is not null) throw new InvalidOperationException($"{QueueId} is already committed");
        if (envelope.QueueId != QueueId)
            throw new ArgumentException($"envelope is for {envelope.QueueId}, entry is {QueueId}", nameof(envelope));
        cancellationToken.ThrowIfCancellationRequested();
        var task = spool.Append(RecordKind.Commit, QueueId, envelope, body.Seal());
        _inFlight = task;
        await task.ConfigureAwait(false);
        _committed = true;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_inFlight is { IsCompleted: false } pending)
            pending.ContinueWith(_ => body.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        else
            body.Dispose();
    }
}
