using Bulwark.EndToEnd.Tests.Infrastructure;
using System.Diagnostics;
using Xunit.Abstractions;

namespace Bulwark.EndToEnd.Tests.Farm;

/// <summary>
/// "A listener that joins gets the full current set": also the blocks decided in its first
/// seconds, after its journal rebuild but before the other nodes learnt its pub-sub subscription.
/// </summary>
public sealed class BlockReplicationRaceTests(ITestOutputHelper log)
{
    [Fact]
    public async Task A_block_decided_right_after_the_farm_formed_reaches_every_local_block_cache()
    {
        await using var farm = await LocalFarm.StartAsync(3, awaitBlockReplication: false);
        const string attacker = "127.0.0.60";
        await Send.StrikesAsync(farm[1].SmtpPort, attacker, LocalFarm.StrikeThreshold);
        var clock = Stopwatch.StartNew();
        var missing = new List<string>();
        foreach (var node in farm.Nodes)
        {
            var took = await LocalFarm.WaitForLocalBlockAsync(node, attacker, TimeSpan.FromSeconds(5) - clock.Elapsed);
            // Nodes are checked in turn: a time is when this node was first seen holding it.
            log.WriteLine($"{node.ClusterAddress}: {(took is null ? "never" : $"seen at {clock.Elapsed.TotalMilliseconds:F0} ms")}");
            if (took is null) missing.Add(node.ClusterAddress);
        }
        Assert.True(missing.Count == 0, $"the block never reached the local cache of {string.Join(", ", missing)}");
    }
}
