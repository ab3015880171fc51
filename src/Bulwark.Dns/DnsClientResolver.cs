using System.Net;
using System.Net.Sockets;
using Bulwark.Policy.Dns;
using DnsClient;
using DnsClient.Protocol;
using Bulwark.Policy.Spf;

namespace Bulwark.Dns;

/// <summary>
/// <see cref="IDnsResolver"/> on DnsClient's LookupClient. DnsClient's own cache is off (the
/// <see cref="CachingDnsResolver"/> decorator caches, with our TTL rules and bounds), errors are
/// returned not thrown, and a SERVFAIL is reported as such instead of being hidden by asking the
/// next server. Thread-safe; one instance per node.
/// </summary>
public sealed class DnsClientResolver : IDnsResolver
{
    private readonly LookupClient _client;

    public DnsClientResolver(DnsResolverOptions options)
    {
        var servers = options.ParseNameServers().Select(ep => new NameServer(ep)).ToArray();
        _client = new LookupClient(new LookupClientOptions(servers)
        {
            UseCache = false,
            ThrowDnsErrors = false,
            ContinueOnDnsError = false,
            ContinueOnEmptyResponse = false,
            Timeout = options.Timeout,
            Retries = Math.Max(0, options.Retries),
            UseTcpFallback = true,
            Recursion = true,
        });
    }

    public Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken cancellationToken) =>
        Ask(name, QueryType.TXT, cancellationToken, r => r.OfType<TxtRecord>().Select(t => string.Concat(t.Text)));

    public Task<DnsAnswer<IPAddress>> AddressAsync(string name, AddressFamily family, CancellationToken cancellationToken) =>
        family == AddressFamily.InterNetworkV6
            ? Ask(name, QueryType.AAAA, cancellationToken, r => r.OfType<AaaaRecord>().Select(a => a.Address))
            : Ask(name, QueryType.A, cancellationToken, r => r.OfType<ARecord>().Select(a => a.Address));

    public Task<DnsAnswer<Bulwark.Policy.Dns.MxRecord>> MxAsync(string name, CancellationToken cancellationToken) =>
        Ask(name, QueryType.MX, cancellationToken, r => r.OfType<DnsClient.Protocol.MxRecord>()
            .Select(m => new Bulwark.Policy.Dns.MxRecord(m.Preference, Trim(m.Exchange.Value))));

    public Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken cancellationToken) =>
        Run(ct => _client.QueryReverseAsync(address, ct), cancellationToken,
            r => r.OfType<PtrRecord>().Select(p => Trim(p.PtrDomainName.Value)));

    private Task<DnsAnswer<T>> Ask<T>(string name, QueryType type, CancellationToken ct,
        Func<IEnumerable<DnsResourceRecord>, IEnumerable<T>> select)
    {
        try
        {
            // DnsClient rejects names DNS cannot carry (a label over 63 octets, a name over 255):
            // such a name cannot exist, which is what NXDOMAIN says.
            DnsString.Parse(name);
        }
        catch (ArgumentException)
        {
            return Task.FromResult(DnsAnswer<T>.Of(DnsStatus.NxDomain));
        }
        return Run(c => _client.QueryAsync(name, type, QueryClass.IN, c), ct, select);
    }

    private static async Task<DnsAnswer<T>> Run<T>(Func<CancellationToken, Task<IDnsQueryResponse>> query,
        CancellationToken ct, Func<IEnumerable<DnsResourceRecord>, IEnumerable<T>> select)
    {
        try
        {
            var response = await query(ct).ConfigureAwait(false);
            return Map(response, select);
        }
        catch (DnsResponseException e) when (e.Code == DnsResponseCode.ConnectionTimeout)
        {
            return DnsAnswer<T>.Of(DnsStatus.Timeout);
        }
        catch (OperationCanceledException)
        {
            return DnsAnswer<T>.Of(DnsStatus.Timeout);
        }
        catch (Exception e) when (e is DnsResponseException or SocketException or IOException or ArgumentException or InvalidOperationException)
        {
            // Network errors, malformed or mismatched answers: the server side failed, for now.
            return DnsAnswer<T>.Of(DnsStatus.ServerFailure);
        }
    }

    /// <summary>Maps one response to the contract's statuses.</summary>
    internal static DnsAnswer<T> Map<T>(IDnsQueryResponse response,
        Func<IEnumerable<DnsResourceRecord>, IEnumerable<T>> select)
    {
        switch (response.Header.ResponseCode)
        {
            case DnsHeaderResponseCode.NoError:
                break;
            case DnsHeaderResponseCode.NotExistentDomain:
                return DnsAnswer<T>.Of(DnsStatus.NxDomain, NegativeTtl(response));
            default:
                return DnsAnswer<T>.Of(DnsStatus.ServerFailure);
        }
        // Answers of the asked type only: DnsClient returns a CNAME chain followed by the target's
        // records; the chain's TTLs bound how long the result is valid too.
        var records = select(response.Answers).ToArray();
        if (records.Length == 0) return DnsAnswer<T>.Of(DnsStatus.NoData, NegativeTtl(response));
        var ttl = response.Answers.Min(r => Math.Max(0, r.TimeToLive));
        return new DnsAnswer<T>(DnsStatus.Ok, records, TimeSpan.FromSeconds(ttl));
    }

    /// <summary>RFC 2308 section 5: a negative answer lives min(SOA TTL, SOA minimum); zero when
    /// the server sent no SOA (the cache then applies its own default).</summary>
    private static TimeSpan NegativeTtl(IDnsQueryResponse response)
    {
        var soa = response.Authorities.SoaRecords().FirstOrDefault();
        return soa is null ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min((long)Math.Max(0, soa.TimeToLive), soa.Minimum));
    }

    private static string Trim(string name) => name.EndsWith('.') ? name[..^1] : name;
}
