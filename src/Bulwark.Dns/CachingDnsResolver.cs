using System.Net;
using System.Net.Sockets;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Spf;

namespace Bulwark.Dns;

/// <summary>
/// A node-wide cache in front of an <see cref="IDnsResolver"/>: honours TTLs (see
/// <see cref="DnsCacheOptions"/>), caches negative answers, never caches failures (the next ask
/// tries again), stays within <see cref="DnsCacheOptions.MaxEntries"/> (LRU), and coalesces
/// concurrent identical questions into one upstream query. Thread-safe: one lock guards the
/// map, the LRU list and the in-flight table; nothing slow happens under it.
/// </summary>
public sealed class CachingDnsResolver : IDnsResolver
{
    private sealed record Entry(string Key, object Answer, DateTimeOffset Expires);

    private readonly IDnsResolver _inner;
    private readonly DnsCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _map = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _lru = new(); // most recently used first
    private readonly Dictionary<string, Task<object>> _inFlight = new(StringComparer.Ordinal);
    private long _hits, _misses, _coalesced;

    public CachingDnsResolver(IDnsResolver inner, DnsCacheOptions? options = null, TimeProvider? time = null)
    {
        _inner = inner;
        _options = options ?? DnsCacheOptions.Default;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Answers served from the cache.</summary>
    public long Hits => Interlocked.Read(ref _hits);
    /// <summary>Questions sent upstream.</summary>
    public long Misses => Interlocked.Read(ref _misses);
    /// <summary>Questions that joined an identical one already in flight.</summary>
    public long Coalesced => Interlocked.Read(ref _coalesced);

    public int Count { get { lock (_gate) return _map.Count; } }

    public Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken cancellationToken) =>
        Get("TXT " + Normalize(name), () => _inner.TxtAsync(name, CancellationToken.None), cancellationToken);

    public Task<DnsAnswer<IPAddress>> AddressAsync(string name, AddressFamily family, CancellationToken cancellationToken) =>
        Get((family == AddressFamily.InterNetworkV6 ? "AAAA " : "A ") + Normalize(name),
            () => _inner.AddressAsync(name, family, CancellationToken.None), cancellationToken);

    public Task<DnsAnswer<MxRecord>> MxAsync(string name, CancellationToken cancellationToken) =>
        Get("MX " + Normalize(name), () => _inner.MxAsync(name, CancellationToken.None), cancellationToken);

    public Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken cancellationToken) =>
        Get("PTR " + address, () => _inner.PtrAsync(address, CancellationToken.None), cancellationToken);

    private static string Normalize(string name) => name.TrimEnd('.').ToLowerInvariant();

    // The upstream query runs without the caller's token: other callers may be waiting for it,
    // and the inner resolver has its own timeout. Each caller stops waiting on its own token.
    private async Task<DnsAnswer<T>> Get<T>(string key, Func<Task<DnsAnswer<T>>> fetch, CancellationToken ct)
    {
        Task<object> task;
        TaskCompletionSource<object>? owner = null;
        lock (_gate)
        {
            if (_map.TryGetValue(key, out var node))
            {
                if (node.Value.Expires > _time.GetUtcNow())
                {
                    _lru.Remove(node);
                    _lru.AddFirst(node);
                    Interlocked.Increment(ref _hits);
                    return (DnsAnswer<T>)node.Value.Answer;
                }
                _lru.Remove(node);
                _map.Remove(key);
            }
            if (_inFlight.TryGetValue(key, out var running))
            {
                Interlocked.Increment(ref _coalesced);
                task = running;
            }
            else
            {
                Interlocked.Increment(ref _misses);
                owner = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
                _inFlight[key] = task = owner.Task;
            }
        }
        // The query starts outside the lock: sending it is I/O.
        if (owner is not null) _ = FetchAndStore(key, fetch, owner);
        try
        {
            return (DnsAnswer<T>)await task.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return DnsAnswer<T>.Of(DnsStatus.Timeout);
        }
    }

    private async Task FetchAndStore<T>(string key, Func<Task<DnsAnswer<T>>> fetch, TaskCompletionSource<object> done)
    {
        DnsAnswer<T> answer;
        try
        {
            answer = await fetch().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The contract says resolvers do not throw; if one does, it is a server-side failure.
            answer = DnsAnswer<T>.Of(DnsStatus.ServerFailure);
        }
        var life = Lifetime(answer.Status, answer.Ttl, _options);
        lock (_gate)
        {
            _inFlight.Remove(key);
            if (life > TimeSpan.Zero) Store(new Entry(key, answer, _time.GetUtcNow() + life));
        }
        done.SetResult(answer);
    }

    /// <summary>How long an answer is kept; zero means not at all.</summary>
    public static TimeSpan Lifetime(DnsStatus status, TimeSpan ttl, DnsCacheOptions options) => status switch
    {
        DnsStatus.Ok => ttl <= TimeSpan.Zero ? TimeSpan.Zero : (ttl > options.MaxTtl ? options.MaxTtl : ttl),
        DnsStatus.NxDomain or DnsStatus.NoData =>
            ttl < options.NegativeMinTtl ? options.NegativeMinTtl : (ttl > options.NegativeMaxTtl ? options.NegativeMaxTtl : ttl),
        _ => TimeSpan.Zero,
    };

    private void Store(Entry entry)
    {
        if (_map.Remove(entry.Key, out var old)) _lru.Remove(old);
        _map[entry.Key] = _lru.AddFirst(entry);
        while (_map.Count > Math.Max(1, _options.MaxEntries))
        {
            var last = _lru.Last!;
            _lru.RemoveLast();
            _map.Remove(last.Value.Key);
        }
    }
}
