using Bulwark.Tests.Shared;

namespace Bulwark.Telemetry.Tests.Exposition;

/// <summary>
/// The names, types and label names of a scrape of <see cref="BulwarkMetrics"/>: the contract
/// the Grafana dashboard and the alert rules are written against. The table is what the node
/// exported before the move to System.Diagnostics.Metrics (a /metrics of that build, recorded).
/// </summary>
public sealed class BulwarkScrapeShapeTests
{
    private static readonly (string Name, string Type, string[] Labels)[] Expected =
    [
        ("bulwark_blocked_ips", "gauge", []),
        ("bulwark_build_info", "gauge", ["version"]),
        ("bulwark_cluster_members", "gauge", ["status"]),
        ("bulwark_cluster_unreachable_members", "gauge", []),
        ("bulwark_dns_cache_entries", "gauge", []),
        ("bulwark_dns_cache_hits", "gauge", []),
        ("bulwark_dns_cache_misses", "gauge", []),
        ("bulwark_entities", "gauge", ["entity"]),
        ("bulwark_entity_ask_duration_seconds", "histogram", ["entity", "outcome"]),
        ("bulwark_message_bytes_accepted_total", "counter", []),
        ("bulwark_messages_accepted_total", "counter", []),
        ("bulwark_quarantine_bytes", "gauge", []),
        ("bulwark_quarantine_messages", "gauge", []),
        ("bulwark_scanner_breaker_open", "gauge", ["scanner"]),
        ("bulwark_scanner_duration_seconds", "histogram", ["outcome", "scanner"]),
        ("bulwark_scanner_failures_total", "counter", ["scanner"]),
        ("bulwark_shards", "gauge", ["entity"]),
        ("bulwark_smtp_connections_total", "counter", ["result"]),
        ("bulwark_smtp_sessions_active", "gauge", []),
        ("bulwark_smtp_verdicts_total", "counter", ["code", "enhanced", "phase"]),
        ("bulwark_spool_dead_letters", "gauge", []),
        ("bulwark_spool_messages", "gauge", []),
        ("bulwark_spool_oldest_age_seconds", "gauge", []),
    ];

    /// <summary>Series that exist before anything happened, and read 0.</summary>
    private static readonly string[] Starting =
    [
        "bulwark_smtp_connections_total{result=\"accepted\"}",
        "bulwark_smtp_connections_total{result=\"blocked\"}",
        "bulwark_smtp_connections_total{result=\"busy\"}",
        "bulwark_smtp_connections_total{result=\"deferred\"}",
        "bulwark_smtp_connections_total{result=\"pregreet\"}",
        "bulwark_smtp_connections_total{result=\"proxy-error\"}",
        "bulwark_smtp_connections_total{result=\"tls-failed\"}",
        "bulwark_messages_accepted_total",
        "bulwark_message_bytes_accepted_total",
        "bulwark_entity_ask_duration_seconds_count{entity=\"dns-policy\",outcome=\"ok\"}",
        "bulwark_entity_ask_duration_seconds_bucket{entity=\"recipient-directory\",outcome=\"ok\",le=\"0.0001\"}",
        "bulwark_entity_ask_duration_seconds_sum{entity=\"ip-reputation\",outcome=\"ok\"}",
        "bulwark_scanner_duration_seconds_count{scanner=\"clamd\",outcome=\"ok\"}",
        "bulwark_scanner_duration_seconds_bucket{scanner=\"rspamd\",outcome=\"ok\",le=\"+Inf\"}",
        "bulwark_scanner_failures_total{scanner=\"clamd\"}",
        "bulwark_scanner_failures_total{scanner=\"rspamd\"}",
        "bulwark_scanner_breaker_open{scanner=\"clamd\"}",
        "bulwark_shards{entity=\"dns-policy\"}",
        "bulwark_entities{entity=\"recipient-directory\"}",
    ];

    [Fact]
    public async Task A_scrape_has_the_names_types_and_labels_the_dashboards_use()
    {
        using var scrape = new InProcessScrape(BulwarkMetrics.Catalog);
        BindWhatTheNodeCollectorsSet();

        var text = await scrape.TextAsync();

        var types = text.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')).ToDictionary(p => p[2], p => p[3]);
        var shapes = PrometheusSamples.Parse(text)
            .Select(s => (Family: FamilyOf(s.Name, types), Labels: string.Join(',', s.Labels.Keys.Where(k => k != "le").Order(StringComparer.Ordinal))))
            .Distinct()
            .Select(s => $"{s.Family} {types[s.Family]} [{s.Labels}]")
            .Order(StringComparer.Ordinal)
            .ToList();
        var expected = Expected.Select(e => $"{e.Name} {e.Type} [{string.Join(',', e.Labels)}]").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, shapes);
    }

    [Fact]
    public async Task Series_that_exist_from_the_start_read_zero()
    {
        using var scrape = new InProcessScrape(BulwarkMetrics.Catalog);
        var text = await scrape.TextAsync();
        Assert.All(Starting, series => Assert.True(PrometheusSamples.Find(text, series) == 0, $"{series} in\n{text}"));
    }

    [Fact]
    public void Every_histogram_buckets_latencies_from_100_microseconds_to_10_seconds() =>
        Assert.All(BulwarkMetrics.Catalog.Histograms, h => Assert.Equal(HistogramMetric.LatencyBuckets, h.Bounds));

    /// <summary>The node's MetricsCollector sets these before every scrape; without it, a gauge
    /// that nothing set has no series to show.</summary>
    private static void BindWhatTheNodeCollectorsSet()
    {
        foreach (var gauge in BulwarkMetrics.Catalog.Families.OfType<GaugeMetric>().Where(g => g.LabelNames.Count == 0))
            _ = gauge.Unlabelled;
        BulwarkMetrics.BuildInfo.Labels("test").Set(1);
        BulwarkMetrics.ClusterMembers.Labels("up").Set(1);
        // Verdicts have no starting series: the first reply makes one.
        _ = BulwarkMetrics.Verdicts.Labels("connect", "220", "");
    }

    private static string FamilyOf(string sample, Dictionary<string, string> types)
    {
        if (types.ContainsKey(sample)) return sample;
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
            if (sample.EndsWith(suffix, StringComparison.Ordinal) && types.ContainsKey(sample[..^suffix.Length]))
                return sample[..^suffix.Length];
        throw new InvalidOperationException($"{sample} has no # TYPE line");
    }
}
