using System.Net;
using System.Net.Sockets;

namespace Bulwark.Policy.Dns;

/// <summary>How a DNS question ended. Only <see cref="Ok"/> carries records.</summary>
public enum DnsStatus
{
    /// <summary>The name has records of the asked type.</summary>
    Ok,
    /// <summary>The name does not exist (RCODE 3).</summary>
    NxDomain,
    /// <summary>The name exists but has no records of this type (a "void" answer for SPF too).</summary>
    NoData,
    /// <summary>The server failed (SERVFAIL, REFUSED, a malformed answer): temporary.</summary>
    ServerFailure,
    /// <summary>No answer within the timeout and retries: temporary.</summary>
    Timeout,
}

/// <summary>One answer. Ttl is the smallest TTL of the records (or the SOA minimum of a negative
/// answer, when known); callers that cache must honour it.</summary>
public sealed record DnsAnswer<T>(DnsStatus Status, IReadOnlyList<T> Records, TimeSpan Ttl)
{
    public bool IsTemporaryFailure => Status is DnsStatus.ServerFailure or DnsStatus.Timeout;

    public static DnsAnswer<T> Of(DnsStatus status, TimeSpan ttl = default) => new(status, Array.Empty<T>(), ttl);
}

public sealed record MxRecord(int Preference, string Exchange);

/// <summary>
/// The DNS questions Bulwark's policy asks. Names are absolute without the trailing dot.
/// The real implementation sits on DnsClient; an in-memory one serves tests and the SPF suites.
/// Implementations never throw for DNS outcomes: they report them in <see cref="DnsStatus"/>.
/// </summary>
public interface IDnsResolver
{
    /// <summary>TXT records, each record's character-strings joined without separators (RFC 7208 section 3.3).</summary>
    Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken cancellationToken);

    /// <summary>A (InterNetwork) or AAAA (InterNetworkV6) records.</summary>
    Task<DnsAnswer<IPAddress>> AddressAsync(string name, AddressFamily family, CancellationToken cancellationToken);

    Task<DnsAnswer<MxRecord>> MxAsync(string name, CancellationToken cancellationToken);

    /// <summary>PTR names of the reverse zone entry of <paramref name="address"/>.</summary>
    Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken cancellationToken);
}
