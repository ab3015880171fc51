namespace Bulwark.Listener.Gate;

/// <summary>
/// The IP keys this node accepted a message from lately: the "good history" that lets a client
/// skip the pregreet pause. Node-local on purpose: it is an optimisation for returning senders,
/// not a security decision, so losing it (restart, another node) costs one pause, nothing more.
/// Bounded (least recently accepted forgotten first) so a flood of senders cannot grow it.
/// </summary>
public sealed class RecentlyAccepted
{
    private readonly int _capacity;
    private readonly TimeSpan _ttl;
    private readonly object _gate = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _byKey = new(StringComparer.Ordinal);
    // Most recently accepted first; the tail is evicted.
    private readonly LinkedList<Entry> _order = new();

    private sealed record Entry(string IpKey, DateTimeOffset At);

    public RecentlyAccepted(int capacity, TimeSpan ttl)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
        _ttl = ttl;
    }

    public int Count
    {
        get { lock (_gate) return _byKey.Count; }
    }

    /// <summary>A message from this IP key was accepted (250 after DATA).</summary>
    public void Record(string ipKey, DateTimeOffset at)
    {
        lock (_gate)
        {
            if (_byKey.Remove(ipKey, out var old)) _order.Remove(old);
            _byKey[ipKey] = _order.AddFirst(new Entry(ipKey, at));
            while (_byKey.Count > _capacity)
            {
                var last = _order.Last!;
                _order.RemoveLast();
                _byKey.Remove(last.Value.IpKey);
            }
        }
    }

    /// <summary>When the last message from this IP key was accepted, if within the TTL.</summary>
    public DateTimeOffset? LastAccepted(string ipKey, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_byKey.TryGetValue(ipKey, out var node)) return null;
            if (now - node.Value.At < _ttl) return node.Value.At;
            // Expired entries go when looked at; the capacity bound takes care of the others.
            _order.Remove(node);
            _byKey.Remove(ipKey);
            return null;
        }
    }
}
