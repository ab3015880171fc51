namespace Bulwark.Node.Configuration.Binding;

/// <summary>The Dns section: resolvers, cache, trusted networks and the SPF and iprev policy.</summary>
public sealed class DnsOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>None given (or an empty list): 127.0.0.1:53.</summary>
    public SettingList? NameServers { get; set; }

    public double TimeoutSeconds { get; set; } = 2;
    public int Retries { get; set; } = 1;
    public int CacheMaxEntries { get; set; } = 100_000;

    /// <summary>Not given: loopback. Given empty: nobody is trusted, every client is checked.</summary>
    public SettingList? TrustedNetworks { get; set; }

    public bool AcceptSpfPermError { get; set; }
    public string Iprev { get; set; } = "record";
    public int DkimMaxSignatures { get; set; } = 5;

    /// <summary>DMARC for every domain not set otherwise: enforce, record, or off.</summary>
    public string Dmarc { get; set; } = "enforce";

    /// <summary>ARC sealer domains whose recorded dmarc=pass is believed.</summary>
    public SettingList? DmarcTrustedArcSealers { get; set; }

    /// <summary>The Public Suffix List file; missing: the copy built into the node.</summary>
    public string PublicSuffixList { get; set; } = "/usr/share/publicsuffix/public_suffix_list.dat";
}
