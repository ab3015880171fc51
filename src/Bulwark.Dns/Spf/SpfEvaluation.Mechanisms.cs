using System.Net;
using System.Net.Sockets;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Spf;

namespace Bulwark.Dns.Spf;

/// <summary>Mechanism matching (RFC 7208 section 5) and the %{p} validated name (section 7.3).</summary>
internal sealed partial class SpfEvaluation
{
    private IPAddress Ip => context.Ip;

    private AddressFamily Family => Ip.AddressFamily;

    private Task<bool> MatchesAsync(SpfMechanism m, string domain) => m.Kind switch
    {
        SpfMechanismKind.All => Task.FromResult(true),
        SpfMechanismKind.Ip4 or SpfMechanismKind.Ip6 => Task.FromResult(
            DomainNames.InNetwork(Ip, m.Network!, m.Kind == SpfMechanismKind.Ip4 ? m.Cidr4 : m.Cidr6)),
        SpfMechanismKind.A => MatchAAsync(m, domain),
        SpfMechanismKind.Mx => MatchMxAsync(m, domain),
        SpfMechanismKind.Ptr => MatchPtrAsync(m, domain),
        SpfMechanismKind.Exists => MatchExistsAsync(m, domain),
        SpfMechanismKind.Include => MatchIncludeAsync(m, domain),
        _ => throw new InvalidOperationException(m.Kind.ToString()),
    };

    private async Task<string?> TargetAsync(SpfMechanism m, string domain) =>
        m.DomainSpec is null ? domain : await ExpandDomainAsync(m.DomainSpec, domain).ConfigureAwait(false);

    private int Prefix(SpfMechanism m) => Family == AddressFamily.InterNetwork ? m.Cidr4 : m.Cidr6;

    private async Task<bool> MatchAAsync(SpfMechanism m, string domain)
    {
        var target = await TargetAsync(m, domain).ConfigureAwait(false);
        return target is not null && await HostMatchesAsync(target, Prefix(m), countVoid: true).ConfigureAwait(false);
    }

    /// <summary>Does one of <paramref name="host"/>'s addresses (of the client's family) cover the client?</summary>
    private async Task<bool> HostMatchesAsync(string host, int prefix, bool countVoid)
    {
        var answer = await dns.AddressAsync(host, Family, ct).ConfigureAwait(false);
        if (answer.IsTemporaryFailure) throw SpfAbort.Temp($"address lookup of {host}: {answer.Status}");
        if (answer.Status != DnsStatus.Ok || answer.Records.Count == 0)
        {
            if (countVoid) CountVoid(host);
            return false;
        }
        foreach (var address in answer.Records)
            if (DomainNames.InNetwork(Ip, address, prefix)) return true;
        return false;
    }

    private async Task<bool> MatchMxAsync(SpfMechanism m, string domain)
    {
        var target = await TargetAsync(m, domain).ConfigureAwait(false);
        if (target is null) return false;
        var answer = await dns.MxAsync(target, ct).ConfigureAwait(false);
        if (answer.IsTemporaryFailure) throw SpfAbort.Temp($"MX lookup of {target}: {answer.Status}");
        if (answer.Status != DnsStatus.Ok || answer.Records.Count == 0)
        {
            CountVoid(target);
            return false;
        }
        // RFC 7208 4.6.4: more than 10 MX names to resolve is a permerror.
        if (answer.Records.Count > options.NameLookupLimit)
            throw SpfAbort.Perm($"{target} has more than {options.NameLookupLimit} MX records");
        foreach (var mx in answer.Records)
        {
            var host = DomainNames.TrimDot(mx.Exchange);
            // A null MX (RFC 7505) or an unusable exchange name has no address to match.
            if (!DomainNames.IsValidQueryName(host)) continue;
            if (await HostMatchesAsync(host, Prefix(m), countVoid: false).ConfigureAwait(false)) return true;
        }
        return false;
    }

    private async Task<bool> MatchExistsAsync(SpfMechanism m, string domain)
    {
        var target = await TargetAsync(m, domain).ConfigureAwait(false);
        if (target is null) return false;
        // RFC 7208 5.7: always an A query, whatever the client's family.
        var answer = await dns.AddressAsync(target, AddressFamily.InterNetwork, ct).ConfigureAwait(false);
        if (answer.IsTemporaryFailure) throw SpfAbort.Temp($"A lookup of {target}: {answer.Status}");
        if (answer.Status == DnsStatus.Ok && answer.Records.Count > 0) return true;
        CountVoid(target);
        return false;
    }

    private async Task<bool> MatchIncludeAsync(SpfMechanism m, string domain)
    {
        var target = await TargetAsync(m, domain).ConfigureAwait(false);
        // RFC 7208 5.2: the included policy's explanation is never used.
        var result = target is null
            ? new SpfResult(SpfOutcome.None, m.DomainSpec!)
            : await CheckAsync(target, wantExplanation: false).ConfigureAwait(false);
        return result.Result switch
        {
            SpfOutcome.Pass => true,
            SpfOutcome.None => throw SpfAbort.Perm($"'{m.Text}': included domain has no SPF record"),
            _ => false,
        };
    }

    private async Task<bool> MatchPtrAsync(SpfMechanism m, string domain)
    {
        var target = await TargetAsync(m, domain).ConfigureAwait(false);
        if (target is null) return false;
        var names = await PtrNamesAsync(countVoid: true).ConfigureAwait(false);
        foreach (var name in names)
            if (DomainNames.IsSubdomainOrSame(name, target) && await IsValidatedAsync(name).ConfigureAwait(false))
                return true;
        return false;
    }

    /// <summary>The first 10 PTR names of the client (RFC 7208 4.6.4: the rest are ignored).
    /// A DNS error makes the ptr mechanism not match (5.5), so errors give an empty list.</summary>
    private async Task<IReadOnlyList<string>> PtrNamesAsync(bool countVoid)
    {
        var answer = await dns.PtrAsync(Ip, ct).ConfigureAwait(false);
        if (countVoid && answer.Status is DnsStatus.NxDomain or DnsStatus.NoData || (answer.Status == DnsStatus.Ok && answer.Records.Count == 0))
            CountVoid(MacroExpander.DottedAddress(Ip));
        if (answer.Status != DnsStatus.Ok) return [];
        var count = Math.Min(answer.Records.Count, options.NameLookupLimit);
        var names = new string[count];
        for (var i = 0; i < count; i++) names[i] = DomainNames.TrimDot(answer.Records[i]);
        return names;
    }

    /// <summary>Forward confirmation: does <paramref name="name"/> resolve back to the client?
    /// Lookup errors just leave the name unvalidated (RFC 7208 5.5).</summary>
    private async Task<bool> IsValidatedAsync(string name)
    {
        if (!DomainNames.IsValidQueryName(name)) return false;
        var answer = await dns.AddressAsync(name, Family, ct).ConfigureAwait(false);
        if (answer.Status != DnsStatus.Ok) return false;
        foreach (var address in answer.Records)
            if (address.Equals(Ip)) return true;
        return false;
    }

    /// <summary>%{p}: a validated name, preferring <paramref name="domain"/> itself, then a subdomain
    /// of it, then any; "unknown" when none validates.</summary>
    private async Task<string> ValidatedNameAsync(string domain)
    {
        // %{p} is not a term: its lookups count toward neither limit.
        var names = await PtrNamesAsync(countVoid: false).ConfigureAwait(false);
        for (var pass = 0; pass < 3; pass++)
        {
            foreach (var name in names)
            {
                var wanted = pass switch
                {
                    0 => name.Equals(domain, StringComparison.OrdinalIgnoreCase),
                    1 => DomainNames.IsSubdomainOrSame(name, domain) && !name.Equals(domain, StringComparison.OrdinalIgnoreCase),
                    _ => !DomainNames.IsSubdomainOrSame(name, domain),
                };
                if (wanted && await IsValidatedAsync(name).ConfigureAwait(false)) return name;
            }
        }
        return "unknown";
    }
}
