using Bulwark.Policy.Content;
using Bulwark.Policy.Dmarc;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Sessions;

namespace Bulwark.Policy.Checks;

/// <summary>What the checks of a session need to know of the node's configuration.</summary>
public sealed record SessionPolicy
{
    /// <summary>This node's name, in the greeting.</summary>
    public string Hostname { get; init; } = "localhost";

    public SessionLimits Limits { get; init; } = new();

    /// <summary>Domains this farm takes mail for (case-insensitive).</summary>
    public IReadOnlySet<string> AcceptedDomains { get; init; } = new HashSet<string>();

    /// <summary>Whose postmaster a bare "RCPT TO:&lt;Postmaster&gt;" reaches: the first accepted domain.</summary>
    public string PrimaryDomain { get; init; } = "";

    /// <summary>The farm-wide block and per-IP connection limit (IpReputation) apply.</summary>
    public bool ReputationEnabled { get; init; }

    public DnsChecks Dns { get; init; } = DnsChecks.Off;

    /// <summary>DKIM signatures verified per message (when the DNS checks are on); 0: none.</summary>
    public int DkimMaxSignatures { get; init; } = 5;

    /// <summary>DMARC (with the From header and ARC checks it needs), when the DNS checks are on.</summary>
    public DmarcSettings Dmarc { get; init; } = DmarcSettings.Off;

    /// <summary>A virus or spam scanner is configured.</summary>
    public bool ScanContent { get; init; }

    public ContentPolicy Content { get; init; } = new();

    /// <summary>Sender domains (lower case) whose mail must arrive over TLS.</summary>
    public IReadOnlySet<string> RequireTlsFromDomains { get; init; } = new HashSet<string>();
}
