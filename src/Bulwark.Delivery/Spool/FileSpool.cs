using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bulwark.Delivery.Spool;

/// <summary>
/// The durable spool on a local file system. Layout under <see cref="Root"/>:
/// tmp/ (entries being written), queue/ (committed: &lt;id&gt;.eml body + &lt;id&gt;.env JSON
/// envelope), dead/ (dead letters: .eml, .env and a .reason text). The presence of
/// queue/&lt;id&gt;.env marks a complete message: commit renames the body first and the envelope
/// last, then fsyncs queue/. Thread-safe: any number of sessions may create and commit at once.
/// One FileSpool (one process) per root: the constructor cleans up what a crash left behind.
/// </summary>
public sealed partial class FileSpool : ISpool, IDisposable
{
    private const string Body = ".eml";
    private const string Env = ".env";

    private readonly ILogger _log;
    private readonly QueueIdGenerator _ids;
    private readonly SpoolIoThreads _io;

    /// <param name="root">Spool directory (created if missing), e.g. ./data/spool.</param>
    /// <param name="logger">Recovery and dead-letter messages; null for none.</param>
    /// <param name="ids">Queue id source; null for a new generator.</param>
    /// <param name="ioThreads">Dedicated threads doing the fsyncs of commits and updates.</param>
    public FileSpool(string root, ILogger? logger = null, QueueIdGenerator? ids = null, int ioThreads = 32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ioThreads, 1);
        var folders = SpoolFolders.Create(root, "queue");
        (Root, QueueDir, TmpDir, DeadDir) = (folders.Root, folders.Committed, folders.Tmp, folders.Dead);
        _log = logger ?? NullLogger.Instance;
        _ids = ids ?? new QueueIdGenerator();
        SpoolRecovery.Run(this, _log);
        _io = new SpoolIoThreads(ioThreads, "spool-io");
    }

    /// <summary>Stops the I/O threads once queued work is done (later calls run inline).</summary>
    public void Dispose() => _io.Dispose();

    public string Root { get; }
    public string TmpDir { get; }
    public string QueueDir { get; }
    public string DeadDir { get; }

    public ISpoolEntry Create() => new FileSpoolEntry(this, _ids.Next());

    /// <summary>Committed messages, oldest id first. A body without its envelope is a commit in
    /// progress (or a crash leftover, removed at start) and is not listed.</summary>
    public IReadOnlyList<Envelope> List()
    {
        var result = new List<Envelope>();
        foreach (var envPath in Directory.EnumerateFiles(QueueDir, "*" + Env))
        {
            var id = Path.GetFileNameWithoutExtension(envPath);
            if (!QueueIdGenerator.IsValid(id) || !File.Exists(QueuePath(id, Body))) continue;
            try
            {
                var envelope = EnvelopeFile.Read(envPath);
                result.Add(envelope.QueueId == id ? envelope : envelope with { QueueId = id });
            }
            catch (FileNotFoundException)
            {
                // Delivered and deleted while we listed.
            }
            catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidDataException)
            {
                _log.LogError(e, "Spool envelope {Path} is unreadable; left in place", envPath);
            }
        }
        result.Sort((a, b) => string.CompareOrdinal(a.QueueId, b.QueueId));
        return result;
    }

    /// <summary>The envelope of one committed message, or null if it is not (or no longer) queued.</summary>
    public Envelope? TryGet(string queueId)
    {
        if (!QueueIdGenerator.IsValid(queueId) || !File.Exists(QueuePath(queueId, Body))) return null;
        try { return EnvelopeFile.Read(QueuePath(queueId, Env)) with { QueueId = queueId }; }
        catch (FileNotFoundException) { return null; }
    }

    public Stream OpenBody(string queueId) =>
        new FileStream(QueuePath(Checked(queueId), Body), FileMode.Open, FileAccess.Read,
            FileShare.Read | FileShare.Delete, 64 * 1024, FileOptions.SequentialScan);

    /// <summary>Write tmp, fsync, rename over queue/&lt;id&gt;.env, fsync queue/: the envelope is
    /// always either the old or the new one. Throws FileNotFoundException if the message is gone
    /// (never resurrects a deleted message).</summary>
    public Task UpdateAsync(Envelope envelope, CancellationToken cancellationToken = default) =>
        _io.Run(() =>
        {
            var id = Checked(envelope.QueueId);
            var target = QueuePath(id, Env);
            if (!File.Exists(target)) throw new FileNotFoundException($"{id} is not in the spool", target);
            var tmp = Path.Combine(TmpDir, $"{id}.{Guid.NewGuid():N}.upd");
            try
            {
                EnvelopeFile.WriteDurably(tmp, envelope);
                File.Move(tmp, target, overwrite: true);
            }
            catch
            {
                TryDelete(tmp);
                throw;
            }
            DirectorySync.Fsync(QueueDir);
        });

    /// <summary>Envelope first: from that instant the message is no longer listed; a leftover body
    /// is removed at the next start. No fsync: a delete lost in a crash means one more delivery
    /// (at least once), never a lost message.</summary>
    public void Delete(string queueId)
    {
        Checked(queueId);
        TryDelete(QueuePath(queueId, Env));
        TryDelete(QueuePath(queueId, Body));
    }

    /// <summary>Reason file, then envelope, then body into dead/. A crash half-way leaves a body in
    /// queue/ whose envelope is in dead/: recovery finishes that move.</summary>
    public void MoveToDeadLetter(string queueId, string reason)
    {
        Checked(queueId);
        File.WriteAllText(DeadPath(queueId, ".reason"), $"{DateTimeOffset.UtcNow:O} {reason}\n");
        if (File.Exists(QueuePath(queueId, Env))) File.Move(QueuePath(queueId, Env), DeadPath(queueId, Env), overwrite: true);
        if (File.Exists(QueuePath(queueId, Body))) File.Move(QueuePath(queueId, Body), DeadPath(queueId, Body), overwrite: true);
        DirectorySync.Fsync(DeadDir);
        DirectorySync.Fsync(QueueDir);
        _log.LogWarning("Spool {QueueId} moved to dead letters: {Reason}", queueId, reason);
    }

    /// <summary>fsync the body and write + fsync the envelope in parallel (two fsync latencies
    /// instead of three per commit), then rename body then envelope into queue/ and fsync queue/.
    /// On any failure nothing of the message stays visible.</summary>
    internal async Task CommitAsync(string id, FileStream body, Envelope envelope)
    {
        try
        {
            var bodySync = _io.Run(() => body.Flush(flushToDisk: true));
            var envWrite = _io.Run(() => EnvelopeFile.WriteDurably(TmpPath(id, Env), envelope));
            await Task.WhenAll(bodySync, envWrite).ConfigureAwait(false);
            await body.DisposeAsync().ConfigureAwait(false);
            await _io.Run(() =>
            {
                File.Move(TmpPath(id, Body), QueuePath(id, Body));
                File.Move(TmpPath(id, Env), QueuePath(id, Env));
                DirectorySync.Fsync(QueueDir);
            }).ConfigureAwait(false);
        }
        catch
        {
            await body.DisposeAsync().ConfigureAwait(false);
            TryDelete(QueuePath(id, Env));
            TryDelete(QueuePath(id, Body));
            DiscardTmp(id);
            throw;
        }
    }

    internal void DiscardTmp(string id)
    {
        TryDelete(TmpPath(id, Body));
        TryDelete(TmpPath(id, Env));
    }

    internal string TmpPath(string id, string ext) => Path.Combine(TmpDir, id + ext);
    internal string QueuePath(string id, string ext) => Path.Combine(QueueDir, id + ext);
    internal string DeadPath(string id, string ext) => Path.Combine(DeadDir, id + ext);

    internal static void TryDelete(string path) => SpoolFolders.TryDelete(path);

    private static string Checked(string queueId) => QueueIdGenerator.Checked(queueId);
}
