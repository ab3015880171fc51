using Akka.Actor;
using Bulwark.Content.Quarantine;
using Bulwark.Content.Scanners;
using Bulwark.Delivery.Spool;
using Bulwark.Listener.Observability;
using Bulwark.Listener.Tls;
using Bulwark.NodeCaches;
using Bulwark.Policy.Checks;
using Bulwark.Policy.Content;
using Bulwark.Policy.Dmarc;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Recipients;
using Bulwark.Policy.Sessions;

namespace Bulwark.Listener.Sessions;

/// <summary>Listener settings every session reads.</summary>
public sealed record ListenerSettings(
    string Hostname,
    SessionLimits Limits,
    IReadOnlySet<string> AcceptedDomains,
    string PrimaryDomain,
    TimeSpan AskTimeout,
    bool ReputationEnabled)
{
    public DnsChecks Dns { get; init; } = DnsChecks.Off;

    /// <summary>Per-recipient spam thresholds and whether spam scanning may fail open.</summary>
    public ContentPolicy Content { get; init; } = new();

    /// <summary>Sender domains (lower case) whose mail must arrive over TLS: MAIL FROM one of them,
    /// or a subdomain, in plain text gets 530 5.7.10. Empty: no such rule.</summary>
    public IReadOnlySet<string> RequireTlsFromDomains { get; init; } = new HashSet<string>();

    /// <summary>DKIM signatures verified per message; 0 turns DKIM verification off.</summary>
    public int DkimMaxSignatures { get; init; } = 5;

    /// <summary>DMARC, with the From and ARC checks it needs; off unless configured.</summary>
    public DmarcSettings Dmarc { get; init; } = DmarcSettings.Off;

    /// <summary>What the checks need of these settings.</summary>
    public SessionPolicy Policy(bool scanContent) => new()
    {
        Hostname = Hostname,
        Limits = Limits,
        AcceptedDomains = AcceptedDomains,
        PrimaryDomain = PrimaryDomain,
        ReputationEnabled = ReputationEnabled,
        Dns = Dns,
        DkimMaxSignatures = DkimMaxSignatures,
        Dmarc = Dmarc,
        ScanContent = scanContent,
        Content = Content,
        RequireTlsFromDomains = RequireTlsFromDomains,
    };
}

/// <summary>What a session actor talks to: the sharded entities (through their regions or
/// proxies), the node's delivery actor and spool.</summary>
public sealed record SessionDependencies(
    IActorRef RecipientDirectory,
    IActorRef IpReputation,
    IActorRef Delivery,
    IActorRef DnsPolicy,
    ISpool Spool,
    ListenerSettings Settings)
{
    private SessionPipelines? _pipelines;

    /// <summary>clamd and rspamd; null or not enabled: no content scanning.</summary>
    public IContentScanner? Content { get; init; }

    /// <summary>Where copies that some recipients must not get are kept.</summary>
    public QuarantineStore? Quarantine { get; init; }

    /// <summary>The node's live view of its sessions, for the dashboard.</summary>
    public LiveSessions Sessions { get; init; } = new();

    /// <summary>This node's copy of the recipient directory's configuration: answers that need
    /// no call-ahead come from it without an ask (null: every recipient is asked of the entity).</summary>
    public RecipientDirectoryOptions? Directory { get; init; }

    /// <summary>Call-ahead answers this node's sessions got from the entities, reused until they
    /// expire (null: every call-ahead recipient is asked of the entity).</summary>
    public NodeCallAheadAnswers? CallAheadAnswers { get; init; }

    /// <summary>DKIM keys and DMARC policies this node's sessions got from the DnsPolicy
    /// entities, reused until they expire (null: every message asks the entities).</summary>
    public NodeAuthenticationAnswers? AuthenticationAnswers { get; init; }

    /// <summary>The certificate for STARTTLS; null: STARTTLS is neither offered nor accepted.</summary>
    public TlsCertificateStore? Tls { get; init; }

    /// <summary>The checks of each phase; by default the standard ones for <see cref="Settings"/>,
    /// built once and shared by every session of the node.</summary>
    public SessionPipelines Pipelines
    {
        get => _pipelines ??= SessionPipelines.Standard(Settings.Policy(Content is { Enabled: true }));
        init => _pipelines = value;
    }
}
