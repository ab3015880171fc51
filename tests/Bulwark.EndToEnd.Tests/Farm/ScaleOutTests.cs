using System.Diagnostics;
using System.Net.Http;
using Bulwark.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Bulwark.EndToEnd.Tests.Farm;

/// <summary>
/// Scale-out under load: two nodes take steady legitimate mail, a third joins, the shard
/// coordinator moves shards to it (least-shard allocation, every 10 s). While shards move a
/// client may be told 4xx (the ask waits for the handoff), never 5xx, and nothing acknowledged is lost.
/// </summary>
public sealed class ScaleOutTests(ITestOutputHelper log)
{
    [Fact]
    public async Task A_third_node_joins_under_load_takes_shards_and_no_acknowledged_mail_is_lost_or_refused()
    {
        var clock = Stopwatch.StartNew();
        using var sink = new SmtpSink();
        sink.Start();
        await using var farm = await LocalFarm.StartAsync(2, environment: SteadyLoad.FarmEnvironment(sink));
        log.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: 2-node farm formed");

        var load = SteadyLoad.Start(4, [farm[1].SmtpPort, farm[2].SmtpPort], SteadyLoad.Sources, SteadyLoad.Recipients, TimeSpan.FromMilliseconds(250));
        string before, after;
        bool rebalanced;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(6));
            before = await FarmFigures.DescribeShardsAsync(farm, farm[1]);
            log.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: before the join {load.Figures()}; shards {before}");

            var third = await farm.AddNodeAsync(TimeSpan.FromSeconds(60));
            load.AddTarget(third.SmtpPort);
            log.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: node 3 is Up everywhere and takes load");

            var sinceJoin = Stopwatch.StartNew();
            rebalanced = await WaitForShardsOnAsync(farm, 3, TimeSpan.FromSeconds(45));
            log.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: shards on node 3 {(rebalanced ? "seen" : "NOT seen")} {sinceJoin.Elapsed.TotalSeconds:F1} s after the join");

            await Task.Delay(TimeSpan.FromSeconds(15));
        }
        finally
        {
            await load.StopAsync();
        }
        after = await FarmFigures.DescribeShardsAsync(farm, farm[1]);

        var missing = await FarmFigures.WaitForDeliveryAsync(sink, load.Acknowledged.Keys, TimeSpan.FromSeconds(60));
        var delivered = load.Acknowledged.Count - missing.Count;
        var figures = $"{load.Figures()} delivered={delivered} missing={missing.Count} shards-before: {before} shards-after: {after} duration={clock.Elapsed.TotalSeconds:F0}s";
        log.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: {figures}");
        FarmFigures.Append("scale-out", figures);
        foreach (var reply in load.TemporaryReplies.Take(10)) log.WriteLine($"4xx: {reply}");

        Assert.True(rebalanced, $"no shard moved to node 3 within 45 s of its join: {after}");
        Assert.True(load.PermanentReplies.IsEmpty, $"5xx to legitimate mail: {string.Join(" | ", load.PermanentReplies.Take(10))}");
        Assert.True(load.Acknowledged.Count >= 50, $"too little load to mean anything: {load.Figures()}");
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged messages never reached the next hop, e.g. {string.Join(", ", missing.Take(10))}");
    }

    /// <summary>Polls GET /admin/shards at node 1 until node <paramref name="n"/> holds a shard of any entity type.</summary>
    private async Task<bool> WaitForShardsOnAsync(LocalFarm farm, int n, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var shards = await FarmFigures.ShardsAsync(farm, farm[1]);
                if (shards.Values.Any(perNode => perNode.GetValueOrDefault(n) > 0))
                {
                    log.WriteLine($"shards: {FarmFigures.Describe(shards)}");
                    return true;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { /* stats ask timed out while shards move */ }
            await Task.Delay(1000);
        }
        return false;
    }
}
