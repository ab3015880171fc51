using System.Net;

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
