using Microsoft.Extensions.Logging;

namespace Bulwark.Delivery.Spool;

/// <summary>Dead-letter administration: list, count, and requeue (move back into queue/).</summary>
public sealed partial class FileSpool
{
    private const string Reason = ".reason";

    /// <summary>Dead letters whose body and envelope are both in dead/ (a move in progress is not
    /// listed), oldest DeadAt first.</summary>
    public IReadOnlyList<DeadLetter> ListDeadLetters() => DeadLetterFolder.List(DeadDir, _log);

    /// <summary>Counts dead/*.env names only: no file is opened.</summary>
    public int CountDeadLetters() => DeadLetterFolder.Count(DeadDir);

    public long? BodySize(string queueId)
    {
        if (!QueueIdGenerator.IsValid(queueId)) return null;
        try { return new FileInfo(QueuePath(queueId, Body)).Length; }
        catch (IOException) { return null; } // includes FileNotFoundException: delivered meanwhile
    }

    /// <summary>Runs on the spool's I/O threads (it fsyncs). Order, as for a commit: the new envelope
    /// is written and fsynced in tmp/, the body renamed into queue/, then the envelope, then queue/
    /// fsynced; only then are the dead/ envelope and reason removed. A crash before the envelope
    /// rename leaves the body in queue/ with its envelope still in dead/: recovery moves it back
    /// (still a dead letter). A crash after it leaves dead/ leftovers that recovery removes.</summary>
    public async Task<Envelope?> RequeueDeadLetterAsync(string queueId, CancellationToken cancellationToken = default)
    {
        Envelope? requeued = null;
        await _io.Run(() => requeued = RequeueDeadLetter(queueId, DateTimeOffset.UtcNow)).ConfigureAwait(false);
        return requeued;
    }

    private Envelope? RequeueDeadLetter(string id, DateTimeOffset now)
    {
        if (!QueueIdGenerator.IsValid(id)) return null;
        var deadEnv = DeadPath(id, Env);
        var deadBody = DeadPath(id, Body);
        if (!File.Exists(deadEnv) || !File.Exists(deadBody)) return null;
        if (File.Exists(QueuePath(id, Env)) || File.Exists(QueuePath(id, Body)))
            throw new IOException($"{id} is already in the queue");

        // LastError is kept: it tells the operator why the message was dead before.
        var envelope = EnvelopeFile.Read(deadEnv) with { QueueId = id, Attempts = 0, NextAttemptAt = null, RequeuedAt = now };
        var tmp = Path.Combine(TmpDir, $"{id}.{Guid.NewGuid():N}.req");
        try
        {
            EnvelopeFile.WriteDurably(tmp, envelope);
            File.Move(deadBody, QueuePath(id, Body));
            try
            {
                File.Move(tmp, QueuePath(id, Env));
            }
            catch
            {
                File.Move(QueuePath(id, Body), deadBody);
                throw;
            }
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
        DirectorySync.Fsync(QueueDir);
        TryDelete(deadEnv);
        TryDelete(DeadPath(id, Reason));
        DirectorySync.Fsync(DeadDir);
        _log.LogInformation("Spool {QueueId} requeued from the dead letters", id);
        return envelope;
    }
}
