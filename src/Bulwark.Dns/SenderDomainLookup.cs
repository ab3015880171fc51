using System.Net.Sockets;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Spf;

namespace Bulwark.Dns;

/// <summary>The DNS side of <see cref="SenderDomainRules"/>: MX first, A and AAAA (together)
/// only when the name has no MX. Never throws for DNS outcomes.</summary>
public static class SenderDomainLookup
{
    public static async Task<SenderDomainState> CheckAsync(IDnsResolver dns, string domain, CancellationToken ct)
    {
        var mx = await dns.MxAsync(domain, ct).ConfigureAwait(false);
        if (!SenderDomainRules.NeedsAddressLookup(mx)) return SenderDomainRules.Classify(mx);
        var a = dns.AddressAsync(domain, AddressFamily.InterNetwork, ct);
        var aaaa = dns.AddressAsync(domain, AddressFamily.InterNetworkV6, ct);
        return SenderDomainRules.Classify(mx, await a.ConfigureAwait(false), await aaaa.ConfigureAwait(false));
    }
}
