using Bulwark.Telemetry;

namespace Bulwark.Policy.Tests.Telemetry;

public class PrometheusExpositionTests
{
    [Fact]
    public void Counter_series_are_written_with_help_type_and_labels()
    {
        var registry = new MetricRegistry();
        var verdicts = registry.Counter("t_verdicts_total", "replies", "phase", "code");
        verdicts.Labels("rcpt", "550").Inc();
        verdicts.Labels("rcpt", "550").Inc(2);
        verdicts.Labels("mail", "250").Inc();

        var text = registry.Render();

        Assert.Equal(
            "# HELP t_verdicts_total replies\n" +
            "# TYPE t_verdicts_total counter\n" +
            "t_verdicts_total{phase=\"mail\",code=\"250\"} 1\n" +
            "t_verdicts_total{phase=\"rcpt\",code=\"550\"} 3\n", text);
    }

    [Fact]
    public void Label_values_are_escaped()
    {
        var registry = new MetricRegistry();
        registry.Gauge("t_gauge", "help with \\ and\nnewline", "why").Labels("a \"quoted\" \\ value\nnext").Set(1.5);

        var text = registry.Render();

        Assert.Contains("# HELP t_gauge help with \\\\ and\\nnewline\n", text);
        Assert.Contains("t_gauge{why=\"a \\\"quoted\\\" \\\\ value\\nnext\"} 1.5\n", text);
    }

    [Fact]
    public void Histogram_buckets_are_cumulative_with_sum_and_count()
    {
        var registry = new MetricRegistry();
        var h = registry.Histogram("t_seconds", "latency", [0.1, 1], "entity").Labels("x");
        h.Observe(0.05);
        h.Observe(0.5);
        h.Observe(0.7);
        h.Observe(3);

        var text = registry.Render();

        Assert.Contains("t_seconds_bucket{entity=\"x\",le=\"0.1\"} 1\n", text);
        Assert.Contains("t_seconds_bucket{entity=\"x\",le=\"1\"} 3\n", text);
        Assert.Contains("t_seconds_bucket{entity=\"x\",le=\"+Inf\"} 4\n", text);
        Assert.Contains("t_seconds_sum{entity=\"x\"} 4.25\n", text);
        Assert.Contains("t_seconds_count{entity=\"x\"} 4\n", text);
    }

    [Fact]
    public void Quantile_interpolates_within_the_bucket()
    {
        var h = new Histogram("t_q", "q", [1, 2, 4], "k").Labels("a");
        for (var i = 0; i < 50; i++) h.Observe(0.5);
        for (var i = 0; i < 50; i++) h.Observe(1.5);

        Assert.Equal(1.0, h.Quantile(0.5), 6);
        Assert.Equal(1.98, h.Quantile(0.99), 6);
        Assert.True(double.IsNaN(new Histogram("t_e", "e", [1], "k").Labels("b").Quantile(0.5)));
    }

    [Fact]
    public void Observation_on_a_bucket_bound_counts_in_that_bucket()
    {
        var registry = new MetricRegistry();
        var h = registry.Histogram("t_b", "b", [1, 2]);
        h.Unlabelled.Observe(1);
        Assert.Contains("t_b_bucket{le=\"1\"} 1\n", registry.Render());
    }

    [Fact]
    public void A_name_registered_twice_is_refused()
    {
        var registry = new MetricRegistry();
        registry.Counter("t_once_total", "once");
        Assert.Throws<InvalidOperationException>(() => registry.Counter("t_once_total", "again"));
    }

    [Theory]
    [InlineData("9starts_with_digit")]
    [InlineData("has-dash")]
    [InlineData("")]
    public void Invalid_names_are_refused(string name) =>
        Assert.Throws<ArgumentException>(() => new Counter(name, "x"));

    [Fact]
    public void Wrong_number_of_label_values_is_refused()
    {
        var counter = new Counter("t_two_total", "two", "a", "b");
        Assert.Throws<ArgumentException>(() => counter.Labels("only-one"));
    }

    [Fact]
    public void Counters_never_go_down() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Counter("t_c_total", "c").Unlabelled.Inc(-1));

    [Fact]
    public async Task A_failing_collect_callback_does_not_hide_the_other_metrics()
    {
        var registry = new MetricRegistry();
        var depth = registry.Gauge("t_depth", "depth");
        registry.BeforeCollect(_ => throw new InvalidOperationException("source down"));
        registry.BeforeCollect(_ => { depth.Set(7); return Task.CompletedTask; });

        var text = await registry.CollectAsync(CancellationToken.None);

        Assert.Contains("t_depth 7\n", text);
    }

    [Fact]
    public void Concurrent_increments_are_all_counted()
    {
        var counter = new Counter("t_par_total", "p", "k");
        Parallel.For(0, 100_000, i => counter.Labels(i % 2 == 0 ? "even" : "odd").Inc());
        Assert.Equal(50_000, counter.Labels("even").Value);
        Assert.Equal(50_000, counter.Labels("odd").Value);
    }

    [Fact]
    public void Every_bulwark_metric_name_is_valid_and_prefixed()
    {
        var text = BulwarkMetrics.Registry.Render();
        Assert.All(BulwarkMetrics.Registry.Names, n => Assert.StartsWith("bulwark_", n));
        Assert.Contains("bulwark_smtp_connections_total{result=\"accepted\"} 0", text);
    }
}
