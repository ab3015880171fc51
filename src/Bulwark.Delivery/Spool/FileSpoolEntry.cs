namespace Bulwark.Delivery.Spool;

/// <summary>One message being written into tmp/&lt;id&gt;.eml. Owned by a single session: not
/// thread-safe itself, but any number of entries may be written and committed at once.</summary>
internal sealed class FileSpoolEntry : ISpoolEntry
{
    // 64 KiB: few syscalls per message while memory per session stays bounded.
    private const int BufferSize = 64 * 1024;

    private readonly FileSpool _spool;
    private readonly FileStream _body;
    private bool _committed;
    private bool _disposed;

    public FileSpoolEntry(FileSpool spool, string queueId)
    {
        _spool = spool;
        QueueId = queueId;
        _body = new FileStream(spool.TmpPath(queueId, ".eml"), FileMode.CreateNew, FileAccess.Write,
            FileShare.Read, BufferSize, FileOptions.None);
    }

    public string QueueId { get; }

    public Stream Body => _body;

    public Stream OpenWritten()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _body.Flush();
        return new FileStream(_spool.TmpPath(QueueId, ".eml"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite,
            BufferSize, FileOptions.SequentialScan);
    }

    public async Task CommitAsync(Envelope envelope, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed) throw new InvalidOperationException($"{QueueId} is already committed");
        if (envelope.QueueId != QueueId)
            throw new ArgumentException($"envelope is for {envelope.QueueId}, entry is {QueueId}", nameof(envelope));
        await _body.FlushAsync(cancellationToken).ConfigureAwait(false);
        // The fsyncs block a thread for milliseconds: they run on the spool's own I/O threads.
        await _spool.CommitAsync(QueueId, _body, envelope).ConfigureAwait(false);
        _committed = true;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _body.Dispose();
        if (!_committed) _spool.DiscardTmp(QueueId);
    }
}
