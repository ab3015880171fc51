using System.Text.Json;
using Bulwark.Admin.Dashboard;

namespace Bulwark.Admin.Tests.Dashboard;

public class VerdictHistoryTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    private static VerdictCount Rcpt550(long count) => new("rcpt", "550", "5.1.1", count);

    [Fact]
    public void Growth_of_the_totals_lands_in_the_bucket_of_the_moment()
    {
        var history = new VerdictHistory(10, 60);
        history.Advance(T0, [Rcpt550(0)]);
        history.Advance(T0.AddSeconds(3), [Rcpt550(2)]);
        history.Advance(T0.AddSeconds(12), [Rcpt550(5)]);

        var buckets = history.Buckets();
        Assert.Equal([1_800_000_000L, 1_800_000_010L], buckets.Select(b => b.StartUnixSeconds));
        Assert.Equal(2, buckets[0].Counts.Single().Count);
        Assert.Equal(3, buckets[1].Counts.Single().Count);
    }

    [Fact]
    public void Buckets_start_on_multiples_of_the_width_so_nodes_line_up()
    {
        var history = new VerdictHistory(10, 60);
        Assert.Equal(1_800_000_000L, history.BucketStart(T0.AddSeconds(9.9)));
        Assert.Equal(1_800_000_010L, history.BucketStart(T0.AddSeconds(10)));
    }

    [Fact]
    public void Old_buckets_are_dropped_beyond_the_capacity()
    {
        var history = new VerdictHistory(10, 3);
        for (var i = 1; i <= 6; i++) history.Advance(T0.AddSeconds(10 * i), [Rcpt550(i)]);
        Assert.Equal(3, history.Buckets().Count);
        Assert.Equal(1_800_000_040L, history.Buckets()[0].StartUnixSeconds);
    }

    [Fact]
    public void The_chart_adds_up_the_nodes_and_fills_gaps_with_zero()
    {
        var now = T0.AddSeconds(25);
        var node1 = new VerdictBucket(1_800_000_010, [Rcpt550(2)]);
        var node2 = new VerdictBucket(1_800_000_010, [Rcpt550(3), new VerdictCount("data-end", "250", "2.0.0", 1)]);
        var chart = JsonSerializer.SerializeToElement(VerdictChart.Combine([node1, node2], [Rcpt550(5), Rcpt550(1)], 10, 4, now));

        var series = chart.GetProperty("series").EnumerateArray().ToList();
        var rcpt = series.Single(s => s.GetProperty("phase").GetString() == "rcpt");
        Assert.Equal([0L, 0L, 5L, 0L], rcpt.GetProperty("points").EnumerateArray().Select(p => p.GetInt64()));
        Assert.Equal(6, chart.GetProperty("totals").EnumerateArray().Single(t => t.GetProperty("phase").GetString() == "rcpt").GetProperty("count").GetInt64());
        Assert.Equal(T0.AddSeconds(-10), chart.GetProperty("start").GetDateTimeOffset());
    }
}
