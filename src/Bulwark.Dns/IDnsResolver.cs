using System.Net;
using System.Net.Sockets;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Spf;

namespace Bulwark.Dns;

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
