namespace Bulwark.NodeCaches;

/// <summary>
/// Cached call-ahead answers of one domain, positive and negative with their own TTLs.
/// Bounded: when full, the oldest inserted entry goes (a FIFO, which is
/// enough here: a TTL of an hour already limits how stale any entry can be). Single-threaded:
/// only its actor touches it.
/// </summary>
public sealed class CallAheadCache(int maxEntries)
{
    private readonly Dictionary<string, (bool Exists, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);
    private readonly Queue<string> _insertionOrder = new();

    public int Count => _entries.Count;

    public bool TryGet(string localPart, DateTimeOffset now, out bool exists) => TryGet(localPart, now, out exists, out _);

    /// <summary>As above, with the time the cached answer expires.</summary>
    public bool TryGet(string localPart, DateTimeOffset now, out bool exists, out DateTimeOffset expires)
    {
        exists = false;
        expires = default;
        if (!_entries.TryGetValue(localPart, out var entry))
            return false;
        if (entry.Expires <= now)
        {
            _entries.Remove(localPart);
            return false;
        }
        exists = entry.Exists;
        expires = entry.Expires;
        return true;
    }

    public void Put(string localPart, bool exists, DateTimeOffset expires)
    {
        if (maxEntries <= 0)
            return;
        if (!_entries.ContainsKey(localPart))
        {
            if (_entries.Count >= maxEntries)
                MakeRoom();
            _insertionOrder.Enqueue(localPart);
        }
        _entries[localPart] = (exists, expires);
    }

    private void MakeRoom()
    {
        // The queue may name keys already dropped on expiry: removing those frees nothing, so
        // the loop goes on to the next oldest.
        while (_entries.Count >= maxEntries && _insertionOrder.TryDequeue(out var oldest))
            _entries.Remove(oldest);
        if (_insertionOrder.Count > 2 * maxEntries)
        {
            var live = _insertionOrder.Where(_entries.ContainsKey).Distinct().ToList();
            _insertionOrder.Clear();
            foreach (var key in live)
                _insertionOrder.Enqueue(key);
        }
    }
}
