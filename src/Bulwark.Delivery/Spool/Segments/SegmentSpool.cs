using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bulwark.Delivery.Spool.Segments;

/// <summary>
/// The spool as an append-only, group-committed log (alternative to <see cref="FileSpool"/>, which
/// pays about three fsyncs per message). Layout under <see cref="Root"/>: segments/NNNNNNNN.seg
/// (the log), tmp/ (bodies larger than <see cref="SegmentSpoolOptions.MemoryBodyBytes"/> while being
/// received), dead/ (dead letters as files, same format as FileSpool's), lock.
/// <para>Write path: an entry's body stays in a pooled buffer (or spills to tmp/); CommitAsync hands
/// a Commit record (envelope JSON + body) to ONE writer thread, which takes every record queued
/// meanwhile, appends them with one gathered write, issues ONE fsync for the batch, applies them to
/// the in-memory index and only then completes their waiters: the 250 follows a durable record.
/// UpdateAsync, MoveToDeadLetter and RequeueDeadLetterAsync are durable records in the same batches;
/// Delete is a record that rides along without its own fsync (lost in a crash = one more delivery,
/// at least once, as with FileSpool). Records are framed with magic, lengths and CRC-32C
/// (<see cref="SegmentRecord"/>).</para>
/// <para>Recovery (constructor): scan the segments in order, apply every intact record to the index,
/// truncate a torn tail, drop dead/ files of messages the log still has live (a dead-letter move or
/// a requeue cut short: the log decides), empty tmp/. A new segment is started; a full one rolls at
/// <see cref="SegmentSpoolOptions.SegmentBytes"/> and each new file's directory entry is fsynced.</para>
/// <para>Space: the oldest segments without live bodies are unlinked (only a prefix: a newer segment
/// can carry the Delete of an older one's message). When the oldest still has a few live bodies and
/// copying them forward (Carry records) costs at most half of the garbage freed, they are copied.</para>
/// Thread-safe. One instance per root (an exclusive lock on root/lock).
/// </summary>
public sealed partial class SegmentSpool : ISpool, IDisposable
{
    private readonly ILogger _log;
    private readonly QueueIdGenerator _ids;
    private readonly SegmentSpoolOptions _options;
    private readonly FileStream _lock;
    private readonly object _gate = new(); // guards _index
    private readonly SegmentIndex _index = new();

    /// <param name="root">Spool directory (created if missing), e.g. ./data/spool.</param>
    /// <param name="options">Segment size, memory threshold; null for defaults.</param>
    /// <param name="logger">Recovery and dead-letter messages; null for none.</param>
    /// <param name="ids">Queue id source; null for a new generator.</param>
    public SegmentSpool(string root, SegmentSpoolOptions? options = null, ILogger? logger = null, QueueIdGenerator? ids = null)
    {
        _options = options ?? new SegmentSpoolOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.SegmentBytes, 4096);
        ArgumentOutOfRangeException.ThrowIfNegative(_options.MemoryBodyBytes);
        var folders = SpoolFolders.Create(root, "segments");
        (Root, SegmentsDir, TmpDir, DeadDir) = (folders.Root, folders.Committed, folders.Tmp, folders.Dead);
        _log = logger ?? NullLogger.Instance;
        _ids = ids ?? new QueueIdGenerator();
        _lock = new FileStream(Path.Combine(Root, "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        try
        {
            Recover();
        }
        catch
        {
            _lock.Dispose();
            throw;
        }
        _writer = new Thread(WriterLoop) { IsBackground = true, Name = "spool-segment-writer" };
        _writer.Start();
    }

    public string Root { get; }
    public string SegmentsDir { get; }
    public string TmpDir { get; }
    public string DeadDir { get; }

    public ISpoolEntry Create()
    {
        var id = _ids.Next();
        return new SegmentSpoolEntry(this, id, new SegmentBodyBuffer(Path.Combine(TmpDir, id + ".body"), _options.MemoryBodyBytes));
    }

    /// <summary>Committed messages, oldest id first, from memory (no disk access).</summary>
    public IReadOnlyList<Envelope> List()
    {
        lock (_gate) return _index.Envelopes();
    }

    /// <summary>The envelope of one committed message, or null if it is not (or no longer) queued.</summary>
    public Envelope? TryGet(string queueId)
    {
        lock (_gate) return _index.Get(queueId)?.Envelope;
    }

    public long? BodySize(string queueId)
    {
        lock (_gate) return _index.Get(queueId)?.BodyLength;
    }

    /// <summary>A read-only stream over the body bytes inside the segment. Throws
    /// FileNotFoundException when the message is not queued.</summary>
    public Stream OpenBody(string queueId)
    {
        Checked(queueId);
        // A compaction may move the body and unlink its old segment between lookup and open.
        for (var attempt = 0; ; attempt++)
        {
            var (slot, path) = Locate(queueId);
            try { return new SubStream(path, slot.BodyOffset, slot.BodyLength); }
            catch (FileNotFoundException) when (attempt < 3) { }
        }
    }

    /// <summary>A durable Update record. Throws FileNotFoundException if the message is gone
    /// (never resurrects a deleted message).</summary>
    public Task UpdateAsync(Envelope envelope, CancellationToken cancellationToken = default)
    {
        var id = Checked(envelope.QueueId);
        lock (_gate)
            if (_index.Get(id) is null) throw new FileNotFoundException($"{id} is not in the spool", id);
        return Append(RecordKind.Update, id, envelope, BodySource.Empty);
    }

    /// <summary>Gone from List() at once; the Delete record is appended without an fsync of its own.</summary>
    public void Delete(string queueId)
    {
        Checked(queueId);
        lock (_gate)
            if (_index.Remove(queueId) is null) return;
        Enqueue(new PendingRecord(RecordKind.Delete, queueId, null, BodySource.Empty, null));
    }

    /// <summary>Flushes the log and stops the writer thread; later calls throw ObjectDisposedException.</summary>
    public void Dispose()
    {
        lock (_queueLock)
        {
            if (_stopping) return;
            _stopping = true;
            Monitor.Pulse(_queueLock);
        }
        _writer.Join();
        _lock.Dispose();
    }

    private (Slot Slot, string Path) Locate(string queueId)
    {
        lock (_gate)
        {
            var slot = _index.Get(queueId) ?? throw new FileNotFoundException($"{queueId} is not in the spool", queueId);
            var file = _index.Segment(slot.Segment) ?? throw new FileNotFoundException($"segment of {queueId} is gone", queueId);
            return (slot, file.Path);
        }
    }

    internal static void TryDelete(string path) => SpoolFolders.TryDelete(path);

    private static string Checked(string queueId) => QueueIdGenerator.Checked(queueId);
}
