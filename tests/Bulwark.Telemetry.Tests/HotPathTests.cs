using Bulwark.Telemetry.Tests.Exposition;

namespace Bulwark.Telemetry.Tests;

/// <summary>Recording on a bound label set allocates nothing while the node's exporter listens:
/// tags are a cached array, not a fresh one (or boxed values) per increment.</summary>
public sealed class HotPathTests
{
    private const int Rounds = 20_000;

    [Fact]
    public void A_labelled_counter_increment_allocates_nothing()
    {
        using var scrape = new InProcessScrape();
        var verdicts = scrape.Catalog.Counter("t_verdicts_total", "v", "phase", "code", "enhanced");
        var connections = scrape.Catalog.Counter("t_connections_total", "c", "result");

        Assert.Equal(0, AllocatedBy(() =>
        {
            verdicts.Labels("rcpt", "550", "5.1.1").Inc();
            connections.Labels("accepted").Inc();
        }));
    }

    [Fact]
    public void A_histogram_observation_allocates_nothing()
    {
        using var scrape = new InProcessScrape();
        var asks = scrape.Catalog.Histogram("t_ask_seconds", "a", HistogramMetric.LatencyBuckets, "entity", "outcome");

        Assert.Equal(0, AllocatedBy(() => asks.Labels("ip-reputation", "ok").Observe(TimeSpan.FromMilliseconds(0.3))));
    }

    private static long AllocatedBy(Action record)
    {
        for (var i = 0; i < 1_000; i++) record();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Rounds; i++) record();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
