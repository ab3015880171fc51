using System.Net;
using Bulwark.Listener.Protocol;
using Bulwark.Policy.Content;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Dmarc;
using Bulwark.Policy.Sessions;

using Bulwark.Admin.Http;

namespace Bulwark.Node.Configuration;

public sealed record NodeSettings(string Hostname, string DataDirectory, IReadOnlyList<string> Roles)
{
    public bool IsListener => Roles.Contains("listener");
    public bool IsPolicy => Roles.Contains("policy");
}

public sealed record ClusterSettings(string Host, int Port, IReadOnlyList<string> SeedNodes);

public sealed record SmtpSettings(IPAddress Address, int Port, int MaxConnections, SessionLimits Limits, SmtpTimeouts Timeouts, TimeSpan AskTimeout)
{
    /// <summary>On SIGTERM, how long sessions inside a transaction may take to finish it.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The early-talker pause before the greeting (off by default).</summary>
    public Bulwark.Policy.Sessions.PregreetOptions Pregreet { get; init; } = new();

    /// <summary>Load balancers whose PROXY header (v1 or v2) names the real client; none: PROXY off.</summary>
    public IReadOnlyList<System.Net.IPNetwork> TrustedProxies { get; init; } = [];

    public TimeSpan ProxyHeaderTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>STARTTLS with the operator's PEM files; null: STARTTLS not offered.</summary>
    public TlsSettings? Tls { get; init; }

    /// <summary>Sender domains (and their subdomains) whose mail must arrive over TLS.</summary>
    public IReadOnlySet<string> RequireTlsFromDomains { get; init; } = new HashSet<string>();

    /// <summary>Answer recipients that need no call-ahead from this node's copy of the directory
    /// (true, the default) instead of asking the RecipientDirectory entity for each.</summary>
    public bool LocalRecipientAnswers { get; init; } = true;
}

/// <param name="ReloadCheck">How often the files are compared besides the file watcher.</param>
public sealed record TlsSettings(string CertificateFile, string KeyFile, TimeSpan ReloadCheck);

public sealed record CallAheadSettings(bool Enabled, string Host, int Port, TimeSpan PositiveTtl, TimeSpan NegativeTtl, TimeSpan Timeout);

public sealed record DomainSettings(string Name, string? RecipientsFile, bool CatchAll, CallAheadSettings CallAhead)
{
    /// <summary>DMARC for mail to this domain; null: the global Dns:Dmarc.</summary>
    public DmarcEnforcement? Dmarc { get; init; }

    public DmarcQuarantineAction DmarcQuarantine { get; init; } = DmarcQuarantineAction.Quarantine;
}

public sealed record ReputationSettings(
    bool Enabled,
    int StrikeThreshold,
    TimeSpan StrikeWindow,
    TimeSpan BaseBlock,
    TimeSpan MaxBlock,
    TimeSpan OffenceMemory,
    int MaxConnectionsPerIp,
    IReadOnlyList<string> Allowlist);

public sealed record NextHopSettings(string Host, int Port, TimeSpan Timeout)
{
    public bool Configured => Host.Length > 0;

    /// <summary>Idle connections kept open for the next messages; 0: one connection per message.</summary>
    public int PoolSize { get; init; } = 8;
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan MaxConnectionAge { get; init; } = TimeSpan.FromMinutes(5);
    public int MaxMessagesPerConnection { get; init; } = 1000;
}

public sealed record DeliverySettings(NextHopSettings NextHop, string MaildirDirectory, string SpoolDirectory,
    int MaxConcurrent, TimeSpan InitialRetry, TimeSpan MaxRetry, TimeSpan MaxAge)
{
    /// <summary>files: one body and one envelope file per message (three fsyncs each);
    /// segments: an append-only log, one fsync per batch of commits (docs/spool.md).</summary>
    public SpoolKind Spool { get; init; } = SpoolKind.Segments;
}

public enum SpoolKind
{
    Files,
    Segments,
}

public enum PersistenceProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>The DNS authority: resolver, cache, SPF and reverse-DNS policy.</summary>
public sealed record DnsSettings(
    bool Enabled,
    IReadOnlyList<string> NameServers,
    TimeSpan Timeout,
    int Retries,
    int CacheMaxEntries,
    IReadOnlyList<string> TrustedNetworks,
    bool AcceptSpfPermError,
    IprevAction Iprev)
{
    /// <summary>DKIM signatures verified per message (0: DKIM verification off).</summary>
    public int DkimMaxSignatures { get; init; } = 5;

    /// <summary>DMARC for domains not set otherwise (off: no From, ARC or DMARC check at all).</summary>
    public DmarcMode Dmarc { get; init; } = DmarcMode.Enforce;

    /// <summary>ARC sealers (lower case) whose recorded dmarc=pass is believed.</summary>
    public IReadOnlyList<string> DmarcTrustedArcSealers { get; init; } = [];

    /// <summary>The Public Suffix List file (the built-in copy when it is missing).</summary>
    public string PublicSuffixList { get; init; } = "/usr/share/publicsuffix/public_suffix_list.dat";
}

/// <summary>The global DMARC switch (Dns:Dmarc).</summary>
public enum DmarcMode
{
    Enforce,
    RecordOnly,
    Off,
}

/// <summary>Content scanning (clamd, rspamd), the per-recipient spam policy and the quarantine.</summary>
public sealed record ContentSettings(
    string? ClamdEndpoint,
    TimeSpan ClamdTimeout,
    string? RspamdUrl,
    TimeSpan RspamdTimeout,
    int BreakerFailures,
    TimeSpan BreakerCoolDown,
    ContentPolicy Policy,
    string QuarantineDirectory,
    TimeSpan QuarantineRetention);

/// <summary>The admin API (CLI and, later, the dashboard). Port 0 switches it off.</summary>
/// <param name="Token">Bearer token for the admin API and dashboard; required when Address is
/// not loopback; when set, every state-changing call needs it.</param>
public sealed record PersistenceSettings(PersistenceProvider Provider, string ConnectionString);

/// <summary>Every setting of a node, read and validated once at start.</summary>
public sealed record BulwarkSettings(
    NodeSettings Node,
    ClusterSettings Cluster,
    SmtpSettings Smtp,
    IReadOnlyList<DomainSettings> Domains,
    ReputationSettings Reputation,
    DeliverySettings Delivery,
    PersistenceSettings Persistence,
    AdminSettings Admin,
    DnsSettings Dns,
    ContentSettings Content);
