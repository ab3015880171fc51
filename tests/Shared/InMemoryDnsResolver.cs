using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Bulwark.Dns;
using Bulwark.Policy.Dns;

namespace Bulwark.Tests.Shared;

/// <summary>
/// A DNS zone built in code, for tests and the SPF conformance suites. Names are case-insensitive
/// and may be given with or without the trailing dot. CNAMEs are followed (a loop answers
/// ServerFailure). A name can be made to time out or fail, for all types or for one type.
/// Every question is counted, so tests can check lookup limits. Thread-safe for queries; build the
/// zone before sharing it.
/// </summary>
public sealed class InMemoryDnsResolver : IDnsResolver
{
    public enum RecordType
    {
        Txt,
        A,
        Aaaa,
        Mx,
        Ptr,
    }

    private sealed class Node
    {
        public readonly Dictionary<RecordType, List<object>> Records = [];
        public readonly Dictionary<RecordType, DnsStatus> Failures = [];
        public DnsStatus? FailAll;
        public string? Cname;
    }

    private const int MaxCnameChain = 8;
    private readonly Dictionary<string, Node> _zone = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<(string Name, RecordType Type)> _queries = new();
    private int _queryCount;

    /// <summary>TTL reported on every answer.</summary>
    public TimeSpan Ttl { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Questions asked so far (each CNAME hop is not counted separately).</summary>
    public int QueryCount => Volatile.Read(ref _queryCount);

    /// <summary>The questions asked so far, in order.</summary>
    public IReadOnlyList<(string Name, RecordType Type)> Queries => _queries.ToArray();

    public void ResetCounters()
    {
        _queries.Clear();
        Interlocked.Exchange(ref _queryCount, 0);
    }

    /// <summary>Makes <paramref name="name"/> exist (so that it answers NoData rather than NXDOMAIN).</summary>
    public InMemoryDnsResolver AddName(string name)
    {
        NodeFor(name);
        return this;
    }

    public InMemoryDnsResolver AddTxt(string name, string text) => Add(name, RecordType.Txt, text);

    /// <summary>A TXT record of several character-strings, served joined (RFC 7208 3.3).</summary>
    public InMemoryDnsResolver AddTxt(string name, IEnumerable<string> strings) => Add(name, RecordType.Txt, string.Concat(strings));

    public InMemoryDnsResolver AddAddress(string name, IPAddress address) =>
        Add(name, address.AddressFamily == AddressFamily.InterNetworkV6 ? RecordType.Aaaa : RecordType.A, address);

    public InMemoryDnsResolver AddA(string name, string address) => AddAddress(name, IPAddress.Parse(address));

    public InMemoryDnsResolver AddAaaa(string name, string address) => AddAddress(name, IPAddress.Parse(address));

    public InMemoryDnsResolver AddMx(string name, int preference, string exchange) =>
        Add(name, RecordType.Mx, new MxRecord(preference, Normalize(exchange)));

    /// <summary>A PTR record at the reverse name of <paramref name="address"/>.</summary>
    public InMemoryDnsResolver AddPtr(IPAddress address, string target) => AddPtr(ReverseName(address), target);

    /// <summary>A PTR record at an explicit reverse name such as "4.3.2.1.in-addr.arpa".</summary>
    public InMemoryDnsResolver AddPtr(string reverseName, string target) => Add(reverseName, RecordType.Ptr, Normalize(target));

    public InMemoryDnsResolver AddCname(string name, string target)
    {
        NodeFor(name).Cname = Normalize(target);
        return this;
    }

    /// <summary>Questions for <paramref name="name"/> (of <paramref name="type"/>, or of any type) time out.</summary>
    public InMemoryDnsResolver MarkTimeout(string name, RecordType? type = null) => Mark(name, type, DnsStatus.Timeout);

    /// <summary>Questions for <paramref name="name"/> (of <paramref name="type"/>, or of any type) answer SERVFAIL.</summary>
    public InMemoryDnsResolver MarkServerFailure(string name, RecordType? type = null) => Mark(name, type, DnsStatus.ServerFailure);

    public Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(Query<string>(name, RecordType.Txt));

    public Task<DnsAnswer<IPAddress>> AddressAsync(string name, AddressFamily family, CancellationToken cancellationToken) =>
        Task.FromResult(Query<IPAddress>(name, family == AddressFamily.InterNetworkV6 ? RecordType.Aaaa : RecordType.A));

    public Task<DnsAnswer<MxRecord>> MxAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(Query<MxRecord>(name, RecordType.Mx));

    public Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken cancellationToken) =>
        Task.FromResult(Query<string>(ReverseName(address), RecordType.Ptr));

    /// <summary>"4.3.2.1.in-addr.arpa" or the 32-nibble "…ip6.arpa" name of an address.</summary>
    public static string ReverseName(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        var sb = new StringBuilder(72);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            for (var i = bytes.Length - 1; i >= 0; i--) sb.Append(bytes[i]).Append('.');
            return sb.Append("in-addr.arpa").ToString();
        }
        for (var i = bytes.Length - 1; i >= 0; i--)
            sb.Append("0123456789abcdef"[bytes[i] & 0xF]).Append('.').Append("0123456789abcdef"[bytes[i] >> 4]).Append('.');
        return sb.Append("ip6.arpa").ToString();
    }

    private DnsAnswer<T> Query<T>(string name, RecordType type)
    {
        _queries.Enqueue((name, type));
        Interlocked.Increment(ref _queryCount);
        var current = Normalize(name);
        for (var hop = 0; hop <= MaxCnameChain; hop++)
        {
            if (current.Length == 0 || !_zone.TryGetValue(current, out var node)) return DnsAnswer<T>.Of(DnsStatus.NxDomain, Ttl);
            if (node.Failures.TryGetValue(type, out var failure)) return DnsAnswer<T>.Of(failure, Ttl);
            if (node.FailAll is { } all && !node.Records.ContainsKey(type)) return DnsAnswer<T>.Of(all, Ttl);
            if (node.Cname is { } alias && !node.Records.ContainsKey(type))
            {
                current = alias;
                continue;
            }
            return node.Records.TryGetValue(type, out var list)
                ? new DnsAnswer<T>(DnsStatus.Ok, list.Cast<T>().ToArray(), Ttl)
                : DnsAnswer<T>.Of(DnsStatus.NoData, Ttl);
        }
        return DnsAnswer<T>.Of(DnsStatus.ServerFailure, Ttl);
    }

    private InMemoryDnsResolver Add(string name, RecordType type, object value)
    {
        var node = NodeFor(name);
        if (!node.Records.TryGetValue(type, out var list)) node.Records[type] = list = [];
        list.Add(value);
        return this;
    }

    private InMemoryDnsResolver Mark(string name, RecordType? type, DnsStatus status)
    {
        var node = NodeFor(name);
        if (type is { } t) node.Failures[t] = status;
        else node.FailAll = status;
        return this;
    }

    private Node NodeFor(string name)
    {
        var key = Normalize(name);
        if (!_zone.TryGetValue(key, out var node)) _zone[key] = node = new Node();
        return node;
    }

    private static string Normalize(string name) => name.EndsWith('.') ? name[..^1] : name;
}
