using System.Collections.Concurrent;
using Bulwark.Delivery.Spool;

namespace Bulwark.Content.Quarantine;

/// <summary>
/// Durable store of quarantined messages (accepted, never delivered, never bounced) under
/// <see cref="Root"/>: tmp/ (being written) and entries/ (&lt;id&gt;.eml message, &lt;id&gt;.json
/// metadata). Like the spool, an add writes and fsyncs both files in tmp/, renames the message
/// then the metadata into entries/ and fsyncs entries/: the metadata file marks a complete entry.
/// Ids are queue-id shaped (18 Crockford base32 characters, time-ordered, filename-safe) and are
/// validated on every call, so an id from the command line can never name another path.
/// One store (one process) per root: the constructor removes what a crash left half-written.
/// </summary>
public sealed class QuarantineStore
{
    private const string Message = ".eml";
    private const string Meta = ".json";

    private readonly TimeProvider _time;
    private readonly QueueIdGenerator _ids;
    private readonly ConcurrentDictionary<string, byte> _releasing = new();

    public QuarantineStore(string root, TimeSpan retention, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retention, TimeSpan.Zero);
        Root = Path.GetFullPath(root);
        Retention = retention;
        _time = time ?? TimeProvider.System;
        _ids = new QueueIdGenerator(() => _time.GetUtcNow());
        TmpDir = Path.Combine(Root, "tmp");
        EntriesDir = Path.Combine(Root, "entries");
        Directory.CreateDirectory(TmpDir);
        Directory.CreateDirectory(EntriesDir);
        Recover();
    }

    public string Root { get; }
    public TimeSpan Retention { get; }
    public string TmpDir { get; }
    public string EntriesDir { get; }

    /// <summary>Stores the message and its metadata durably (fsynced) and returns the new id. The
    /// metadata's Id and QuarantinedAt are replaced by the store's. On failure nothing is kept.</summary>
    public async Task<string> AddAsync(Stream message, QuarantineEntry metadata, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(metadata);
        var id = _ids.Next();
        var entry = metadata with { Id = id, QuarantinedAt = _time.GetUtcNow() };
        var tmpMessage = Path.Combine(TmpDir, id + Message);
        var tmpMeta = Path.Combine(TmpDir, id + Meta);
        try
        {
            await using (var file = new FileStream(tmpMessage, FileMode.CreateNew, FileAccess.Write, FileShare.None,
                             64 * 1024, FileOptions.Asynchronous))
            {
                await message.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                // fsyncs block for milliseconds: keep them off the caller's (actor's) thread.
                await Task.Run(() => file.Flush(flushToDisk: true), cancellationToken).ConfigureAwait(false);
            }
            await Task.Run(() =>
            {
                QuarantineFile.WriteDurably(tmpMeta, entry);
                File.Move(tmpMessage, PathOf(id, Message));
                File.Move(tmpMeta, PathOf(id, Meta));
                QuarantineFile.FsyncDirectory(EntriesDir);
            }, CancellationToken.None).ConfigureAwait(false);
            return id;
        }
        catch
        {
            TryDelete(PathOf(id, Meta));
            TryDelete(PathOf(id, Message));
            TryDelete(tmpMeta);
            TryDelete(tmpMessage);
            throw;
        }
    }

    /// <summary>Every complete entry, oldest first. Unreadable metadata is skipped (left in place
    /// for an operator to look at).</summary>
    public IReadOnlyList<QuarantineEntry> List()
    {
        var result = new List<QuarantineEntry>();
        foreach (var path in Directory.EnumerateFiles(EntriesDir, "*" + Meta))
        {
            var entry = Get(Path.GetFileNameWithoutExtension(path));
            if (entry is not null) result.Add(entry);
        }
        result.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return result;
    }

    /// <summary>The metadata of one entry, or null if there is no such (complete, readable) entry.</summary>
    public QuarantineEntry? Get(string id)
    {
        if (!IsId(id) || !File.Exists(PathOf(id, Message))) return null;
        try
        {
            return QuarantineFile.Read(PathOf(id, Meta)) with { Id = id };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidDataException)
        {
            return null; // FileNotFoundException (deleted meanwhile) included
        }
    }

    /// <summary>The stored message, as received. Throws FileNotFoundException if there is no such entry.</summary>
    public Stream OpenMessage(string id)
    {
        if (!IsId(id)) throw new ArgumentException($"not a quarantine id: '{id}'", nameof(id));
        if (!File.Exists(PathOf(id, Meta))) throw new FileNotFoundException($"no quarantine entry {id}", PathOf(id, Meta));
        return new FileStream(PathOf(id, Message), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete,
            64 * 1024, FileOptions.SequentialScan);
    }

    /// <summary>Removes an entry; false if there was none. The metadata goes first (by a rename, so
    /// of two concurrent deletes exactly one wins), then the message; the directory is fsynced so a
    /// released or deleted entry does not come back after a crash (and get released twice).</summary>
    public bool Delete(string id)
    {
        if (!IsId(id)) return false;
        var doomed = Path.Combine(TmpDir, $"{id}.{Guid.NewGuid():N}.del");
        try
        {
            File.Move(PathOf(id, Meta), doomed);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        TryDelete(PathOf(id, Message));
        QuarantineFile.FsyncDirectory(EntriesDir);
        TryDelete(doomed);
        return true;
    }

    /// <summary>Deletes the entries quarantined more than <see cref="Retention"/> ago; returns how many.</summary>
    public int Purge()
    {
        var now = _time.GetUtcNow();
        return List().Count(e => now - e.QuarantinedAt > Retention && Delete(e.Id));
    }

    /// <summary>
    /// Puts the message back into the spool for the recipients it was quarantined for, from its
    /// original sender, and only once the spool commit is durable deletes it here. Returns the new
    /// queue id (the caller tells the delivery actor). ReceivedAt of the new envelope is now, not
    /// the original time: delivery's max age must not expire a message an operator just released.
    /// A failure (spool full, cancelled...) leaves the entry in place. At least once: a crash
    /// between commit and delete may leave both copies, never neither.
    /// </summary>
    public async Task<string> ReleaseAsync(string id, ISpool spool, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spool);
        if (!_releasing.TryAdd(id, 0)) throw new InvalidOperationException($"quarantine entry {id} is already being released");
        try
        {
            var entry = Get(id) ?? throw new KeyNotFoundException($"no quarantine entry {id}");
            using var spooled = spool.Create();
            await using (var message = OpenMessage(id))
                await message.CopyToAsync(spooled.Body, cancellationToken).ConfigureAwait(false);
            var envelope = new Envelope(spooled.QueueId, entry.Sender, entry.Recipients, entry.ClientIp, entry.Helo, _time.GetUtcNow());
            await spooled.CommitAsync(envelope, cancellationToken).ConfigureAwait(false);
            Delete(id);
            return spooled.QueueId;
        }
        finally
        {
            _releasing.TryRemove(id, out _);
        }
    }

    /// <summary>tmp/ is emptied; a message without its metadata is an add that never completed.</summary>
    private void Recover()
    {
        foreach (var path in Directory.EnumerateFiles(TmpDir)) TryDelete(path);
        foreach (var path in Directory.EnumerateFiles(EntriesDir, "*" + Message))
        {
            var id = Path.GetFileNameWithoutExtension(path);
            if (!File.Exists(PathOf(id, Meta))) TryDelete(path);
        }
    }

    private static bool IsId(string? id) => id is not null && QueueIdGenerator.IsValid(id);

    private string PathOf(string id, string extension) => Path.Combine(EntriesDir, id + extension);

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
