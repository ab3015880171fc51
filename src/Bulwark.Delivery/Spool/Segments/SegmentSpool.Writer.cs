using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Bulwark.Delivery.Spool.Segments;

/// <summary>The single writer thread: batches, appends, one fsync per batch, then completion.</summary>
public sealed partial class SegmentSpool
{
    private readonly object _queueLock = new();
    private readonly Thread _writer;
    private List<PendingRecord> _queue = [];
    private bool _stopping;

    // Writer thread only.
    private SafeFileHandle? _handle;
    private SegmentFile? _current;
    private long _offset;
    private int _nextNumber = 1;
    private bool _dirty;
    private long _batches;
    private long _fsyncs;

    /// <summary>Test seam: runs on the writer thread just before each batch's fsync.</summary>
    internal Action? BeforeFsync { get; set; }

    internal long Batches => Interlocked.Read(ref _batches);
    internal long Fsyncs => Interlocked.Read(ref _fsyncs);

    /// <summary>Queues a record; the task completes once it is fsynced (or fails with the I/O error).</summary>
    internal Task Append(RecordKind kind, string id, Envelope? envelope, BodySource body)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(new PendingRecord(kind, id, envelope, body, done));
        return done.Task;
    }

    private void Enqueue(PendingRecord record)
    {
        lock (_queueLock)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            _queue.Add(record);
            if (_queue.Count == 1) Monitor.Pulse(_queueLock);
        }
    }

    private int CurrentNumber => _current?.Number ?? _nextNumber;

    private void WriterLoop()
    {
        var batch = new List<PendingRecord>();
        while (true)
        {
            bool stop;
            lock (_queueLock)
            {
                if (_queue.Count == 0 && !_stopping) Monitor.Wait(_queueLock, _options.MaintenanceInterval);
                (batch, _queue) = (_queue, batch);
                stop = _stopping && batch.Count == 0;
            }
            if (stop) break;
            if (batch.Count > 0) WriteBatch(batch);
            batch.Clear();
            try { Maintain(); }
            catch (Exception e) { _log.LogError(e, "Spool segment maintenance failed; retried later"); }
        }
        try { CloseSegment(); }
        catch (Exception e) { _log.LogError(e, "Spool segment close failed"); }
    }

    private void WriteBatch(List<PendingRecord> batch)
    {
        var start = _offset;
        try
        {
            OpenSegment();
            var durable = false;
            var gather = new List<ReadOnlyMemory<byte>>(batch.Count * 3);
            var gatherAt = _offset;
            var offset = _offset;
            foreach (var r in batch)
            {
                var meta = SegmentRecord.Meta(r.Id, r.Envelope is null ? null : EnvelopeFile.Serialize(r.Envelope));
                var header = SegmentRecord.Header(r.Kind, meta, r.Body.Length, r.Body.Crc);
                gather.Add(header);
                gather.Add(meta);
                r.Segment = _current!.Number;
                r.BodyOffset = offset + header.Length + meta.Length;
                if (r.Body.Path is null)
                {
                    if (r.Body.Length > 0) gather.Add(r.Body.Memory);
                }
                else
                {
                    Write(gather, ref gatherAt);
                    CopyInto(r.Body, r.BodyOffset);
                    gatherAt = r.BodyOffset + r.Body.Length;
                }
                offset = r.BodyOffset + r.Body.Length;
                r.RecordBytes = header.Length + meta.Length + r.Body.Length;
                durable |= r.Kind != RecordKind.Delete;
            }
            Write(gather, ref gatherAt);
            _offset = offset;
            _dirty = true;
            if (durable) Fsync();
            Interlocked.Increment(ref _batches);
        }
        catch (Exception e)
        {
            _log.LogError(e, "Spool segment append of {Count} records failed", batch.Count);
            AbandonSegment(start);
            foreach (var r in batch) r.Done?.TrySetException(e);
            return;
        }
        Apply(batch);
        if (_offset >= _options.SegmentBytes)
        {
            try { CloseSegment(); }
            catch (Exception e) { _log.LogError(e, "Spool segment close failed"); }
        }
    }

    /// <summary>Durable now: into the index, then the waiters (on the pool, never on this thread).</summary>
    private void Apply(List<PendingRecord> batch)
    {
        lock (_gate)
        {
            foreach (var r in batch)
            {
                var stale = r.Kind == RecordKind.Carry && _index.Get(r.Id)?.Segment != r.CarriedFrom;
                if (stale) _index.Grow(r.Segment, r.RecordBytes); // deleted meanwhile: its Delete follows in the log
                else _index.Apply(r.Kind, r.Id, r.Envelope, r.Segment, r.BodyOffset, r.Body.Length, r.Body.Crc, r.RecordBytes);
            }
        }
        foreach (var r in batch) r.Done?.TrySetResult();
    }

    private void Write(List<ReadOnlyMemory<byte>> gather, ref long at)
    {
        if (gather.Count == 0) return;
        RandomAccess.Write(_handle!, gather, at);
        foreach (var m in gather) at += m.Length;
        gather.Clear();
    }

    private void CopyInto(BodySource body, long at)
    {
        using var source = File.OpenHandle(body.Path!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var chunk = ArrayPool<byte>.Shared.Rent(256 * 1024);
        try
        {
            for (long done = 0; done < body.Length;)
            {
                var n = RandomAccess.Read(source, chunk.AsSpan(0, (int)Math.Min(chunk.Length, body.Length - done)), body.FileOffset + done);
                if (n == 0) throw new EndOfStreamException($"{body.Path} is shorter than {body.Length} bytes");
                RandomAccess.Write(_handle!, chunk.AsSpan(0, n), at + done);
                done += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private void Fsync()
    {
        BeforeFsync?.Invoke();
        RandomAccess.FlushToDisk(_handle!);
        Interlocked.Increment(ref _fsyncs);
        _dirty = false;
    }

    /// <summary>A new segment's directory entry is fsynced before any record in it is acknowledged.</summary>
    private void OpenSegment()
    {
        if (_handle is not null) return;
        var number = _nextNumber;
        var path = SegmentPath(number);
        _handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete);
        _nextNumber = number + 1;
        DirectorySync.Fsync(SegmentsDir);
        lock (_gate) _current = _index.AddSegment(number, path);
        _offset = 0;
    }

    private void CloseSegment()
    {
        if (_handle is null) return;
        try
        {
            if (_dirty) Fsync(); // Deletes only: cheap, and keeps a closed segment fully on disk
        }
        finally
        {
            _handle.Dispose();
            _handle = null;
            _current = null;
        }
    }

    /// <summary>After a failed write or fsync the tail of this file is in an unknown state (Linux may
    /// have dropped the dirty pages): cut it back to the last acknowledged record and continue in a
    /// new segment. The failed records were never acknowledged.</summary>
    private void AbandonSegment(long validLength)
    {
        if (_handle is null) return;
        try { RandomAccess.SetLength(_handle, validLength); }
        catch (Exception e) { _log.LogError(e, "Spool segment could not be truncated; recovery will drop its torn tail"); }
        _handle.Dispose();
        _handle = null;
        _current = null;
        _dirty = false;
    }

    private string SegmentPath(int number) => Path.Combine(SegmentsDir, $"{number:D8}.seg");
}
