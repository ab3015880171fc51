using System.Diagnostics.Metrics;

namespace Bulwark.Telemetry;

/// <summary>
/// Every metric Bulwark exports, in one place so the names (which dashboards and alerts depend
/// on) are easy to review. They are instruments of one <see cref="System.Diagnostics.Metrics.Meter"/>
/// named <see cref="MeterName"/>, which the node's /metrics exporter, dotnet-counters and any
/// OpenTelemetry pipeline listen to. One Meter per process: a node is one process.
/// </summary>
public static class BulwarkMetrics
{
    /// <summary>The Meter's name, as listeners select it (dotnet-counters --counters Bulwark).</summary>
    public const string MeterName = "Bulwark";

    public static readonly MetricCatalog Catalog = new(new Meter(MeterName));

    // --- SMTP front door ---------------------------------------------------------------
    public static readonly CounterMetric Connections = Catalog.Counter("bulwark_smtp_connections_total",
        "SMTP connections by result: accepted (greeted), blocked (421 at the gate or by IpReputation), busy (node or per-IP limit), deferred (421 4.3.0, reputation unavailable), pregreet (talked before the greeting), proxy-error (bad PROXY header from a trusted balancer), tls-failed (STARTTLS handshake failed)",
        "result");

    public static readonly GaugeMetric SessionsActive = Catalog.Gauge("bulwark_smtp_sessions_active",
        "SMTP sessions open on this node");

    public static readonly CounterMetric Verdicts = Catalog.Counter("bulwark_smtp_verdicts_total",
        "SMTP replies by phase (connect, helo, mail, rcpt, data, data-end, other), reply code and enhanced status code",
        "phase", "code", "enhanced");

    public static readonly CounterMetric MessagesAccepted = Catalog.Counter("bulwark_messages_accepted_total",
        "Messages acknowledged with 250 at the end of DATA (committed to the spool)");

    public static readonly CounterMetric MessageBytesAccepted = Catalog.Counter("bulwark_message_bytes_accepted_total",
        "Bytes of messages acknowledged at the end of DATA");

    // --- Sharded entities ----------------------------------------------------------------
    public static readonly HistogramMetric EntityAskSeconds = Catalog.Histogram("bulwark_entity_ask_duration_seconds",
        "Time a session waited for a sharded entity's answer, by entity type and outcome (ok, timeout, error)",
        HistogramMetric.LatencyBuckets, "entity", "outcome");

    public static readonly GaugeMetric ShardsHosted = Catalog.Gauge("bulwark_shards",
        "Shards hosted by this node, by entity type", "entity");

    public static readonly GaugeMetric EntitiesHosted = Catalog.Gauge("bulwark_entities",
        "Entities alive on this node, by entity type", "entity");

    // --- Cluster -------------------------------------------------------------------------
    public static readonly GaugeMetric ClusterMembers = Catalog.Gauge("bulwark_cluster_members",
        "Cluster members as this node sees them, by status", "status");

    public static readonly GaugeMetric ClusterUnreachable = Catalog.Gauge("bulwark_cluster_unreachable_members",
        "Members this node's failure detector marks unreachable");

    // --- Reputation ----------------------------------------------------------------------
    public static readonly GaugeMetric BlockedIps = Catalog.Gauge("bulwark_blocked_ips",
        "IPs (and IPv6 /64s) blocked in this node's gate cache");

    // --- Spool and delivery --------------------------------------------------------------
    public static readonly GaugeMetric SpoolMessages = Catalog.Gauge("bulwark_spool_messages",
        "Messages in the spool waiting for or in delivery");

    public static readonly GaugeMetric SpoolOldestAge = Catalog.Gauge("bulwark_spool_oldest_age_seconds",
        "Age of the oldest message in the spool (0 when empty)");

    public static readonly GaugeMetric SpoolDeadLetters = Catalog.Gauge("bulwark_spool_dead_letters",
        "Messages given up on and kept in the spool's dead-letter folder");

    // --- DNS -----------------------------------------------------------------------------
    public static readonly GaugeMetric DnsCacheHits = Catalog.Gauge("bulwark_dns_cache_hits",
        "DNS lookups answered from this node's cache since start");

    public static readonly GaugeMetric DnsCacheMisses = Catalog.Gauge("bulwark_dns_cache_misses",
        "DNS lookups that went to a name server since start");

    public static readonly GaugeMetric DnsCacheEntries = Catalog.Gauge("bulwark_dns_cache_entries",
        "Entries in this node's DNS cache");

    // --- Sender authentication (end of DATA) ----------------------------------------------
    public static readonly CounterMetric Authentication = Catalog.Counter("bulwark_message_authentication_total",
        "Authentication results at the end of DATA, by method (dkim per signature, dmarc, arc) and result (pass, fail, none, temperror, permerror)",
        "method", "result");

    public static readonly CounterMetric DmarcActions = Catalog.Counter("bulwark_dmarc_actions_total",
        "What was done with the DMARC result per message: none, recorded, arc-override, quarantined, rejected, deferred", "action");

    // --- Content scanners and quarantine -------------------------------------------------
    public static readonly HistogramMetric ScannerSeconds = Catalog.Histogram("bulwark_scanner_duration_seconds",
        "Time a content scanner took per message, by scanner (clamd, rspamd) and outcome (ok, unavailable)",
        HistogramMetric.LatencyBuckets, "scanner", "outcome");

    public static readonly CounterMetric ScannerFailures = Catalog.Counter("bulwark_scanner_failures_total",
        "Scanner calls that failed or were short-circuited by an open breaker", "scanner");

    public static readonly GaugeMetric ScannerBreakerOpen = Catalog.Gauge("bulwark_scanner_breaker_open",
        "1 when the scanner's circuit breaker is open or half-open, else 0", "scanner");

    public static readonly GaugeMetric QuarantineMessages = Catalog.Gauge("bulwark_quarantine_messages",
        "Messages held in the quarantine");

    public static readonly GaugeMetric QuarantineBytes = Catalog.Gauge("bulwark_quarantine_bytes",
        "Bytes held in the quarantine");

    // --- Build ---------------------------------------------------------------------------
    public static readonly GaugeMetric BuildInfo = Catalog.Gauge("bulwark_build_info",
        "Always 1; the version label says which build this node runs", "version");

    static BulwarkMetrics()
    {
        // Series that exist from the start read 0 instead of being absent, so rate() and
        // alerts work before the first event.
        foreach (var result in new[] { "accepted", "blocked", "busy", "deferred", "pregreet", "proxy-error", "tls-failed" }) Connections.Labels(result);
        foreach (var entity in new[] { "ip-reputation", "recipient-directory", "dns-policy" })
        {
            EntityAskSeconds.Labels(entity, "ok");
            ShardsHosted.Labels(entity);
            EntitiesHosted.Labels(entity);
        }
        foreach (var scanner in new[] { "clamd", "rspamd" })
        {
            ScannerFailures.Labels(scanner);
            ScannerSeconds.Labels(scanner, "ok");
            ScannerBreakerOpen.Labels(scanner);
        }
        MessagesAccepted.Inc(0);
        MessageBytesAccepted.Inc(0);
    }
}
