using Microsoft.Extensions.Logging;

namespace Bulwark.Delivery.Spool.Segments;

/// <summary>Dead letters: files in dead/ (&lt;id&gt;.eml, .env JSON, .reason "&lt;ISO time&gt;
/// &lt;reason&gt;"), the same format as FileSpool's, so operators and tools see one layout. The log
/// decides whether a message is dead: the files are written and fsynced first, then a durable Dead
/// record; a crash in between leaves the message queued and recovery removes the files.</summary>
public sealed partial class SegmentSpool
{
    private const string Eml = ".eml";
    private const string Env = ".env";
    private const string Reason = ".reason";

    /// <summary>Blocks until the Dead record is durable (it is called from delivery tasks, not from
    /// actor threads). Does nothing when the message is no longer queued.</summary>
    public void MoveToDeadLetter(string queueId, string reason)
    {
        Checked(queueId);
        Slot slot;
        lock (_gate)
            if (_index.Get(queueId) is { } s) slot = s; else return;
        using (var body = OpenBody(queueId))
            WriteDurably(DeadPath(queueId, Eml), out_ => body.CopyTo(out_));
        WriteDurably(DeadPath(queueId, Reason), out_ => out_.Write(System.Text.Encoding.UTF8.GetBytes($"{DateTimeOffset.UtcNow:O} {reason}\n")));
        var tmp = Path.Combine(TmpDir, $"{queueId}.{Guid.NewGuid():N}.dead");
        EnvelopeFile.WriteDurably(tmp, slot.Envelope);
        File.Move(tmp, DeadPath(queueId, Env), overwrite: true);
        DirectorySync.Fsync(DeadDir);
        Append(RecordKind.Dead, queueId, null, BodySource.Empty).GetAwaiter().GetResult();
        _log.LogWarning("Spool {QueueId} moved to dead letters: {Reason}", queueId, reason);
    }

    /// <summary>Dead letters with both body and envelope in dead/, oldest DeadAt first.</summary>
    public IReadOnlyList<DeadLetter> ListDeadLetters() => DeadLetterFolder.List(DeadDir, _log);

    public int CountDeadLetters() => DeadLetterFolder.Count(DeadDir);

    /// <summary>A durable Requeue record (envelope with attempts reset + the body from dead/), then
    /// the dead/ files go. Null when there is no such dead letter; IOException when it is queued.</summary>
    public async Task<Envelope?> RequeueDeadLetterAsync(string queueId, CancellationToken cancellationToken = default)
    {
        if (!QueueIdGenerator.IsValid(queueId)) return null;
        var (envPath, emlPath) = (DeadPath(queueId, Env), DeadPath(queueId, Eml));
        if (!File.Exists(envPath) || !File.Exists(emlPath)) return null;
        lock (_gate)
            if (_index.Get(queueId) is not null) throw new IOException($"{queueId} is already in the queue");
        // LastError is kept: it tells the operator why the message was dead before.
        var envelope = EnvelopeFile.Read(envPath) with
        {
            QueueId = queueId, Attempts = 0, NextAttemptAt = null, RequeuedAt = DateTimeOffset.UtcNow,
        };
        var (length, crc) = await Task.Run(() => FileCrc(emlPath), cancellationToken).ConfigureAwait(false);
        await Append(RecordKind.Requeue, queueId, envelope, new BodySource(ReadOnlyMemory<byte>.Empty, emlPath, 0, length, crc))
            .ConfigureAwait(false);
        TryDelete(envPath);
        TryDelete(DeadPath(queueId, Reason));
        TryDelete(emlPath);
        DirectorySync.Fsync(DeadDir);
        _log.LogInformation("Spool {QueueId} requeued from the dead letters", queueId);
        return envelope;
    }

    private string DeadPath(string id, string ext) => Path.Combine(DeadDir, id + ext);

    private static void WriteDurably(string path, Action<FileStream> write)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024);
        write(file);
        file.Flush(flushToDisk: true);
    }

    private static (long Length, uint Crc) FileCrc(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var chunk = new byte[64 * 1024];
        var crc = Crc32C.Seed;
        long length = 0;
        int n;
        while ((n = file.Read(chunk)) > 0)
        {
            crc = Crc32C.Append(crc, chunk.AsSpan(0, n));
            length += n;
        }
        return (length, Crc32C.Finish(crc));
    }
}
