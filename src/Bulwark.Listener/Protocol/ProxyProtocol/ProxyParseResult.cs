using System.Net;

namespace Bulwark.Listener.Protocol.ProxyProtocol;

/// <summary>What the first bytes of a connection turned out to be.</summary>
public enum ProxyHeaderKind
{
    /// <summary>The bytes cannot start a PROXY header (e.g. a plain SMTP or HTTP client).</summary>
    NotProxy,
    /// <summary>A valid prefix of a header; more bytes are needed.</summary>
    Incomplete,
    /// <summary>A TCP over IPv4/IPv6 header: the real client and destination are known.</summary>
    Proxy,
    /// <summary>v2 LOCAL (e.g. a load balancer health check): use the socket's own peer.</summary>
    Local,
    /// <summary>v1 UNKNOWN or v2 UNSPEC/UDP/UNIX: valid but carries no usable TCP address.</summary>
    Unknown,
    /// <summary>A malformed header; the spec requires the connection to be closed.</summary>
    Invalid,
}

/// <param name="BytesConsumed">Length of the whole header (v2: including TLVs) for
/// Proxy/Local/Unknown; 0 otherwise.</param>
/// <param name="Error">Why the header is Invalid; null for every other kind.</param>
public readonly record struct ProxyParseResult(
    ProxyHeaderKind Kind, int BytesConsumed, IPEndPoint? Source, IPEndPoint? Destination, string? Error)
{
    internal static readonly ProxyParseResult NotProxy = new(ProxyHeaderKind.NotProxy, 0, null, null, null);
    internal static readonly ProxyParseResult Incomplete = new(ProxyHeaderKind.Incomplete, 0, null, null, null);

    internal static ProxyParseResult Invalid(string error) => new(ProxyHeaderKind.Invalid, 0, null, null, error);
    internal static ProxyParseResult Local(int length) => new(ProxyHeaderKind.Local, length, null, null, null);
    internal static ProxyParseResult Unknown(int length) => new(ProxyHeaderKind.Unknown, length, null, null, null);
    internal static ProxyParseResult Proxy(int length, IPEndPoint source, IPEndPoint destination) =>
        new(ProxyHeaderKind.Proxy, length, source, destination, null);
}
