using Bulwark.Dns.Dmarc;
using Bulwark.Node.Configuration;
using Bulwark.Policy.Dmarc;

namespace Bulwark.Node.Hosting;

/// <summary>The checks' DMARC settings from the node's configuration: the global mode, each
/// domain's override and the Public Suffix List the node reads.</summary>
public static class DmarcSettingsFrom
{
    public static DmarcSettings Configuration(BulwarkSettings settings)
    {
        var dns = settings.Dns;
        if (!dns.Enabled || dns.Dmarc == DmarcMode.Off) return DmarcSettings.Off;
        var global = dns.Dmarc == DmarcMode.RecordOnly ? DmarcEnforcement.RecordOnly : DmarcEnforcement.Enforce;
        return new DmarcSettings
        {
            Default = new DmarcDomainPolicy(global, DmarcQuarantineAction.Quarantine),
            PerDomain = settings.Domains.ToDictionary(d => d.Name, d => new DmarcDomainPolicy(d.Dmarc ?? global, d.DmarcQuarantine),
                StringComparer.OrdinalIgnoreCase),
            TrustedArcSealers = dns.DmarcTrustedArcSealers.Select(s => s.ToLowerInvariant()).ToHashSet(StringComparer.OrdinalIgnoreCase),
            PublicSuffixes = PublicSuffixListFile.Load(dns.PublicSuffixList).List,
        };
    }
}
