using System.Diagnostics.Metrics;
using Bulwark.Tests.Shared;

namespace Bulwark.Telemetry.Tests.Exposition;

/// <summary>What a scrape of the node's exporter shows for the facade's instruments. Moved from
/// Bulwark.Policy.Tests with the hand-written writer they tested; the assertions are the same
/// where the exporter's spelling differs only in what Prometheus ignores (label order, "name{}").</summary>
public sealed class PrometheusExpositionTests : IDisposable
{
    private readonly InProcessScrape _scrape = new();

    private MetricCatalog Catalog => _scrape.Catalog;

    public void Dispose() => _scrape.Dispose();

    [Fact]
    public async Task Counter_series_are_written_with_help_type_and_labels()
    {
        var verdicts = Catalog.Counter("t_verdicts_total", "replies", "phase", "code");
        verdicts.Labels("rcpt", "550").Inc();
        verdicts.Labels("rcpt", "550").Inc(2);
        verdicts.Labels("mail", "250").Inc();

        var text = await _scrape.TextAsync();

        Assert.Contains("# HELP t_verdicts_total replies\n", text);
        Assert.Contains("# TYPE t_verdicts_total counter\n", text);
        Assert.Equal(1, PrometheusSamples.Find(text, "t_verdicts_total{phase=\"mail\",code=\"250\"}"));
        Assert.Equal(3, PrometheusSamples.Find(text, "t_verdicts_total{phase=\"rcpt\",code=\"550\"}"));
        Assert.Equal(2, PrometheusSamples.Parse(text).Count(s => s.Name == "t_verdicts_total"));
    }

    [Fact]
    public async Task Label_values_are_escaped()
    {
        Catalog.Gauge("t_gauge", "help with \\ and\nnewline", "why").Labels("a \"quoted\" \\ value\nnext").Set(1.5);

        var text = await _scrape.TextAsync();

        Assert.Contains("# HELP t_gauge help with \\\\ and\\nnewline\n", text);
        Assert.Contains("t_gauge{why=\"a \\\"quoted\\\" \\\\ value\\nnext\"} 1.5\n", text);
    }

    [Fact]
    public async Task Histogram_buckets_are_cumulative_with_sum_and_count()
    {
        var h = Catalog.Histogram("t_seconds", "latency", [0.1, 1], "entity").Labels("x");
        h.Observe(0.05);
        h.Observe(0.5);
        h.Observe(0.7);
        h.Observe(3);

        var text = await _scrape.TextAsync();

        Assert.Contains("# TYPE t_seconds histogram\n", text);
        Assert.Contains("t_seconds_bucket{entity=\"x\",le=\"0.1\"} 1\n", text);
        Assert.Contains("t_seconds_bucket{entity=\"x\",le=\"1\"} 3\n", text);
        Assert.Contains("t_seconds_bucket{entity=\"x\",le=\"+Inf\"} 4\n", text);
        Assert.Contains("t_seconds_sum{entity=\"x\"} 4.25\n", text);
        Assert.Contains("t_seconds_count{entity=\"x\"} 4\n", text);
    }

    [Fact]
    public async Task Observation_on_a_bucket_bound_counts_in_that_bucket()
    {
        var h = Catalog.Histogram("t_b", "b", [1, 2]);
        h.Unlabelled.Observe(1);
        Assert.Contains("t_b_bucket{le=\"1\"} 1\n", await _scrape.TextAsync());
    }

    [Fact]
    public void A_name_registered_twice_is_refused()
    {
        Catalog.Counter("t_once_total", "once");
        Assert.Throws<InvalidOperationException>(() => Catalog.Counter("t_once_total", "again"));
    }

    [Theory]
    [InlineData("9starts_with_digit")]
    [InlineData("has-dash")]
    [InlineData("")]
    public void Invalid_names_are_refused(string name) =>
        Assert.Throws<ArgumentException>(() => new CounterMetric(Catalog.Meter, name, "x"));

    [Fact]
    public void Wrong_number_of_label_values_is_refused()
    {
        var counter = Catalog.Counter("t_two_total", "two", "a", "b");
        Assert.Throws<ArgumentException>(() => counter.Labels("only-one"));
    }

    [Fact]
    public void Counters_never_go_down() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Catalog.Counter("t_c_total", "c").Unlabelled.Inc(-1));

    [Fact]
    public async Task A_failing_collect_callback_does_not_hide_the_other_metrics()
    {
        var depth = Catalog.Gauge("t_depth", "depth");
        Catalog.BeforeScrape(_ => throw new InvalidOperationException("source down"));
        Catalog.BeforeScrape(_ => { depth.Set(7); return Task.CompletedTask; });

        var text = await _scrape.TextAsync();

        Assert.Equal(7, PrometheusSamples.Find(text, "t_depth"));
    }

    [Fact]
    public async Task Concurrent_increments_are_all_counted()
    {
        var counter = Catalog.Counter("t_par_total", "p", "k");
        Parallel.For(0, 100_000, i => counter.Labels(i % 2 == 0 ? "even" : "odd").Inc());
        Assert.Equal(50_000, counter.Labels("even").Value);
        Assert.Equal(50_000, counter.Labels("odd").Value);

        var text = await _scrape.TextAsync();
        Assert.Equal(50_000, PrometheusSamples.Find(text, "t_par_total{k=\"even\"}"));
        Assert.Equal(50_000, PrometheusSamples.Find(text, "t_par_total{k=\"odd\"}"));
    }

    [Fact]
    public async Task Every_bulwark_metric_name_is_valid_and_prefixed()
    {
        using var scrape = new InProcessScrape(BulwarkMetrics.Catalog);
        var text = await scrape.TextAsync();
        Assert.All(BulwarkMetrics.Catalog.Names, n => Assert.StartsWith("bulwark_", n));
        Assert.All(BulwarkMetrics.Catalog.Names, n => Assert.True(MetricNames.IsValid(n), n));
        Assert.Equal(0, PrometheusSamples.Find(text, "bulwark_smtp_connections_total{result=\"accepted\"}"));
    }

    [Fact]
    public async Task Scrapers_get_the_classic_text_format_uncompressed_whatever_they_offer()
    {
        Catalog.Counter("t_offered_total", "o").Inc();

        var (status, contentType, body) = await _scrape.GetAsync(
            accept: "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.3,*/*;q=0.1",
            acceptEncoding: "gzip");

        Assert.Equal(200, status);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", contentType);
        Assert.Contains("# TYPE t_offered_total counter\nt_offered_total{} 1\n", body.Replace("# HELP t_offered_total o\n", ""));
        Assert.DoesNotContain("_created", body);
        Assert.DoesNotContain("# EOF", body);
    }

    [Fact]
    public async Task Only_a_GET_of_metrics_reaches_the_exporter()
    {
        Catalog.Counter("t_get_total", "g").Inc();
        Assert.Equal(404, (await _scrape.GetAsync(method: "POST")).Status);
        Assert.Equal(404, (await _scrape.GetAsync(path: "/metrics/other")).Status);
    }

    [Fact]
    public async Task Names_and_labels_carry_no_exporter_additions()
    {
        Catalog.Counter("t_plain_total", "p", "k").Labels("v").Inc();
        Catalog.Histogram("t_wait_seconds", "w", [1], "k").Labels("v").Observe(0.5);
        Catalog.Gauge("t_held_bytes", "h").Set(3);

        var samples = PrometheusSamples.Parse(await _scrape.TextAsync());

        Assert.DoesNotContain(samples, s => s.Labels.Keys.Any(k => k.StartsWith("otel_", StringComparison.Ordinal)));
        Assert.DoesNotContain(samples, s => s.Name == "target_info");
        Assert.Equal(
            ["t_held_bytes", "t_plain_total", "t_wait_seconds_bucket", "t_wait_seconds_count", "t_wait_seconds_sum"],
            samples.Select(s => s.Name).Distinct().Order(StringComparer.Ordinal));
    }
}
