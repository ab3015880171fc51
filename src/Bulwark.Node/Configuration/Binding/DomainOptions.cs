using Bulwark.Policy.Recipients;

namespace Bulwark.Node.Configuration.Binding;

/// <summary>One entry of Domains: an accepted domain and how its recipients are known.</summary>
public sealed class DomainOptions
{
    public string Name { get; set; } = "";

    /// <summary>Empty: no list (postmaster, catch-all or call-ahead only).</summary>
    public string RecipientsFile { get; set; } = "";

    public bool CatchAll { get; set; }

    /// <summary>DMARC for mail to this domain: enforce or record; empty: Dns:Dmarc.</summary>
    public string Dmarc { get; set; } = "";

    /// <summary>What p=quarantine does to mail for this domain: quarantine, or deliver (with an X-Bulwark-DMARC field).</summary>
    public string DmarcQuarantine { get; set; } = "quarantine";
    public CallAheadOptions CallAhead { get; set; } = new();
}

/// <summary>Domains:N:CallAhead: the RCPT probe to the next hop for recipients not listed.</summary>
public sealed class CallAheadOptions
{
    public bool Enabled { get; set; }
    public string Host { get; set; } = "";
    public int Port { get; set; } = 25;
    public double PositiveTtlSeconds { get; set; } = 3600;
    public double NegativeTtlSeconds { get; set; } = 600;
    public double TimeoutSeconds { get; set; } = 10;
}
