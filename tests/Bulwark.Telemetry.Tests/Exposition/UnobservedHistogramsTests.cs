using System.Diagnostics.Metrics;
using Bulwark.Admin.Http;
using Bulwark.Tests.Shared;

namespace Bulwark.Telemetry.Tests.Exposition;

public sealed class UnobservedHistogramsTests : IDisposable
{
    private readonly Meter _meter = new("Bulwark.Tests." + Guid.NewGuid().ToString("N"));

    public void Dispose() => _meter.Dispose();

    [Fact]
    public void Zero_series_go_at_the_end_of_their_family_spelled_as_the_exporter_spells_them()
    {
        var h = new HistogramMetric(_meter, "t_wait_seconds", "w", [0.5, 1], "scanner", "outcome");
        h.Labels("clamd", "ok");
        const string scrape =
            "# TYPE t_a gauge\n# HELP t_a a\nt_a{} 1\n" +
            "# TYPE t_wait_seconds histogram\n# HELP t_wait_seconds w\nt_wait_seconds_count{outcome=\"x\",scanner=\"y\"} 2\n" +
            "# TYPE t_z gauge\n# HELP t_z z\nt_z{} 1\n";

        var text = UnobservedHistograms.Insert(scrape, [h]);

        Assert.Equal(
            "# TYPE t_a gauge\n# HELP t_a a\nt_a{} 1\n" +
            "# TYPE t_wait_seconds histogram\n# HELP t_wait_seconds w\nt_wait_seconds_count{outcome=\"x\",scanner=\"y\"} 2\n" +
            "t_wait_seconds_bucket{outcome=\"ok\",scanner=\"clamd\",le=\"0.5\"} 0\n" +
            "t_wait_seconds_bucket{outcome=\"ok\",scanner=\"clamd\",le=\"1\"} 0\n" +
            "t_wait_seconds_bucket{outcome=\"ok\",scanner=\"clamd\",le=\"+Inf\"} 0\n" +
            "t_wait_seconds_sum{outcome=\"ok\",scanner=\"clamd\"} 0\n" +
            "t_wait_seconds_count{outcome=\"ok\",scanner=\"clamd\"} 0\n" +
            "# TYPE t_z gauge\n# HELP t_z z\nt_z{} 1\n", text);
    }

    [Fact]
    public void A_family_with_no_series_at_all_gets_its_header_too()
    {
        var h = new HistogramMetric(_meter, "t_idle_seconds", "idle \\ time", [1], "k");
        h.Labels("a \"b\"");

        var text = UnobservedHistograms.Insert("# TYPE t_a gauge\n# HELP t_a a\nt_a{} 1\n", [h]);

        Assert.EndsWith(
            "t_a{} 1\n# TYPE t_idle_seconds histogram\n# HELP t_idle_seconds idle \\\\ time\n" +
            "t_idle_seconds_bucket{k=\"a \\\"b\\\"\",le=\"1\"} 0\n" +
            "t_idle_seconds_bucket{k=\"a \\\"b\\\"\",le=\"+Inf\"} 0\n" +
            "t_idle_seconds_sum{k=\"a \\\"b\\\"\"} 0\nt_idle_seconds_count{k=\"a \\\"b\\\"\"} 0\n", text);
    }

    [Fact]
    public void A_scrape_without_unobserved_series_is_left_as_it_is()
    {
        var h = new HistogramMetric(_meter, "t_busy_seconds", "b", [1], "k");
        h.Labels("x").Observe(0.5);
        const string scrape = "# TYPE t_busy_seconds histogram\nt_busy_seconds_count{k=\"x\"} 1\n";
        Assert.Same(scrape, UnobservedHistograms.Insert(scrape, [h]));
    }

    [Fact]
    public async Task Through_the_exporter_each_series_appears_once_observed_or_not()
    {
        using var scrape = new InProcessScrape();
        var h = scrape.Catalog.Histogram("t_ask_seconds", "a", HistogramMetric.LatencyBuckets, "entity", "outcome");
        h.Labels("ip-reputation", "ok");
        h.Labels("dns-policy", "ok");
        h.Labels("ip-reputation", "ok").Observe(0.002);

        var first = await scrape.TextAsync();
        h.Labels("dns-policy", "ok").Observe(0.02);
        var second = await scrape.TextAsync();

        foreach (var text in new[] { first, second })
        {
            var counts = PrometheusSamples.Parse(text).Where(s => s.Name == "t_ask_seconds_count").ToList();
            Assert.Equal(2, counts.Count);
            Assert.Single(text.Split('\n'), l => l == "# TYPE t_ask_seconds histogram");
            Assert.Equal(17, PrometheusSamples.Parse(text).Count(s => s.Name == "t_ask_seconds_bucket" && s.Labels["entity"] == "dns-policy"));
        }
        Assert.Equal(1, PrometheusSamples.Find(first, "t_ask_seconds_bucket{entity=\"ip-reputation\",outcome=\"ok\",le=\"0.0025\"}"));
        Assert.Equal(0, PrometheusSamples.Find(first, "t_ask_seconds_count{entity=\"dns-policy\",outcome=\"ok\"}"));
        Assert.Equal(1, PrometheusSamples.Find(second, "t_ask_seconds_count{entity=\"dns-policy\",outcome=\"ok\"}"));
    }
}
