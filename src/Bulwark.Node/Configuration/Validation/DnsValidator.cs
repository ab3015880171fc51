using System.Net;
using Bulwark.Node.Configuration.Binding;
using Bulwark.Node.Configuration.Conversion;

namespace Bulwark.Node.Configuration.Validation;

/// <summary>Dns: resolvers as ip:port, trusted networks as CIDRs, bounds and the iprev action.</summary>
public sealed class DnsValidator : SectionValidator
{
    protected override void Check(BulwarkOptions options, SettingProblems problems)
    {
        var dns = options.Dns;
        if (dns.NameServers?.FirstOrDefault(server => !IPEndPoint.TryParse(server, out _)) is { } bad)
            problems.Add("Dns:NameServers", $"'{bad}' is not an ip:port");
        problems.Cidrs("Dns:TrustedNetworks", dns.TrustedNetworks);
        problems.InRangeSeconds("Dns:TimeoutSeconds", dns.TimeoutSeconds, 0.05, 60);
        problems.InRange("Dns:Retries", dns.Retries, 0, 10);
        problems.InRange("Dns:CacheMaxEntries", dns.CacheMaxEntries, 100, 10_000_000);
        problems.OneOf("Dns:Iprev", dns.Iprev, Choices.Iprev);
        // Each signature costs a key lookup and a public-key operation: a message carrying
        // dozens must not buy dozens (RFC 6376 section 8.4, denial of service).
        problems.InRange("Dns:DkimMaxSignatures", dns.DkimMaxSignatures, 0, 20);
        problems.OneOf("Dns:Dmarc", dns.Dmarc, Choices.Dmarc);
        if (dns.DmarcTrustedArcSealers?.FirstOrDefault(d => !DomainsValidator.IsDomainName(d.Trim().ToLowerInvariant())) is { } sealer)
            problems.Add("Dns:DmarcTrustedArcSealers", $"'{sealer}' is not a domain name");
    }
}
