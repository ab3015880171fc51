namespace Bulwark.NodeCaches;

/// <summary>
/// Answers a listener node got from an entity, each kept until the time the entity gave with
/// it and never longer than <see cref="MaxAge"/>, so that a repeat is answered without an ask.
/// Bounded: when full, expired entries go, and if none had, everything goes (the next asks
/// refill it; a flood of distinct keys can never grow it). Shared by the node's sessions, hence
/// the lock (held for a dictionary lookup or insert only).
/// </summary>
public sealed class NearCache<TAnswer>(int maxEntries, TimeSpan maxAge) where TAnswer : class
{
    private readonly Dictionary<string, (TAnswer Answer, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public TimeSpan MaxAge => maxAge;

    public int Count
    {
        get
        {
            lock (_lock) return _entries.Count;
        }
    }

    public bool TryGet(string key, DateTimeOffset now, out TAnswer answer)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var entry))
            {
                if (entry.Expires > now)
                {
                    answer = entry.Answer;
                    return true;
                }
                _entries.Remove(key);
            }
        }
        answer = null!;
        return false;
    }

    /// <summary>Keeps <paramref name="answer"/> until <paramref name="validUntil"/> (or <see cref="MaxAge"/> from now, if sooner); null: not at all.</summary>
    public void Keep(string key, TAnswer answer, DateTimeOffset? validUntil, DateTimeOffset now)
    {
        if (validUntil is not { } until || until <= now || maxEntries <= 0) return;
        var expires = until - now > maxAge ? now + maxAge : until;
        lock (_lock)
        {
            if (_entries.Count >= maxEntries && !_entries.ContainsKey(key))
            {
                foreach (var stale in _entries.Where(e => e.Value.Expires <= now).Select(e => e.Key).ToList()) _entries.Remove(stale);
                if (_entries.Count >= maxEntries) _entries.Clear();
            }
            _entries[key] = (answer, expires);
        }
    }
}
