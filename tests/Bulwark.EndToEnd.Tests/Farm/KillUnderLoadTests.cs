using System.Diagnostics;
using Xunit.Abstractions;
using Bulwark.EndToEnd.Tests.Infrastructure;

namespace Bulwark.EndToEnd.Tests.Farm;

/// <summary>
/// kill -9 under load: a 3-node farm takes steady mail on all listeners; node 2 dies without any
/// shutdown code. The survivors keep answering (4xx allowed until the dead node's shards are
/// downed and moved, never 5xx); what node 2 acknowledged before dying is in its spool and is
/// delivered once it restarts on the same data folder.
/// </summary>
public sealed class KillUnderLoadTests(ITestOutputHelper log)
{
    [Fact]
    public async Task A_node_killed_under_load_loses_nothing_it_acknowledged_and_no_legitimate_mail_gets_5xx()
    {
        var clock = Stopwatch.StartNew();
        using var sink = new SmtpSink();
        sink.Start();
        await using var farm = await LocalFarm.StartAsync(3, environment: SteadyLoad.FarmEnvironment(sink));
        log.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: 3-node farm formed");
        var victim = farm[2];

        var load = SteadyLoad.Start(6, farm.Nodes.Select(n => n.SmtpPort), SteadyLoad.Sources, SteadyLoad.Recipients, TimeSpan.FromMilliseconds(250));
        string before, after;
        int victimAcknowledged, victimUndeliveredAtKill;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(4));
            // The next hop goes away for a while, so the spools hold acknowledged mail when the
            // kill comes: only the victim's restart can deliver what it holds.
            sink.Stop();
            await Task.Delay(TimeSpan.FromSeconds(4));
            before = await FarmFigures.DescribeShardsAsync(farm, farm[1]);

            victim.Kill();
            var sinceKill = Stopwatch.StartNew();
            var acknowledgedByVictim = load.Acknowledged.Where(a => a.Value == victim.SmtpPort).Select(a => a.Key).ToList();
            victimAcknowledged = acknowledgedByVictim.Count;
            sink.Start();
            log.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: node 2 killed (it had acknowledged {victimAcknowledged}); {load.Figures()}; shards {before}");

            await Task.Delay(TimeSpan.FromSeconds(15));
            victimUndeliveredAtKill = acknowledgedByVictim.Count - acknowledgedByVictim.Intersect(FarmFigures.DeliveredSubjects(sink)).Count();
            log.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: load on the survivors for {sinceKill.Elapsed.TotalSeconds:F0} s: {load.Figures()}; " +
                          $"{victimUndeliveredAtKill} of node 2's acknowledged messages not delivered while it is down");

            await victim.StartAgainAsync();
            await farm.WaitForMembersAsync(farm[1], farm.Nodes.Select(n => n.ClusterAddress), TimeSpan.FromSeconds(60));
            log.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: node 2 restarted on its data folder and Up again");
            await Task.Delay(TimeSpan.FromSeconds(5));
        }
        finally
        {
            await load.StopAsync();
        }
        after = await FarmFigures.DescribeShardsAsync(farm, farm[1]);

        var missing = await FarmFigures.WaitForDeliveryAsync(sink, load.Acknowledged.Keys, TimeSpan.FromSeconds(60));
        var delivered = load.Acknowledged.Count - missing.Count;
        var figures = $"{load.Figures()} delivered={delivered} missing={missing.Count} " +
                      $"victim-acknowledged-before-kill={victimAcknowledged} victim-undelivered-while-down={victimUndeliveredAtKill} " +
                      $"shards-before: {before} shards-after: {after} duration={clock.Elapsed.TotalSeconds:F0}s";
        log.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: {figures}");
        FarmFigures.Append("kill-under-load", figures);
        foreach (var reply in load.TemporaryReplies.Take(10)) log.WriteLine($"4xx: {reply}");

        Assert.True(load.PermanentReplies.IsEmpty, $"5xx to legitimate mail: {string.Join(" | ", load.PermanentReplies.Take(10))}");
        Assert.True(load.Acknowledged.Count >= 50, $"too little load to mean anything: {load.Figures()}");
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged messages never reached the next hop, e.g. " +
                                        $"{string.Join(", ", missing.Take(10).Select(s => $"{s} (acknowledged at :{load.Acknowledged[s]})"))}");
    }
}
