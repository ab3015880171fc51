using System.Diagnostics;
using System.Text.Json;
using Bulwark.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Bulwark.EndToEnd.Tests.Farm;

public sealed class FarmFormationTests(ThreeNodeFarmFixture fixture, ITestOutputHelper log) : IClassFixture<ThreeNodeFarmFixture>
{
    private LocalFarm Farm => fixture.Farm;

    [Fact]
    public async Task Three_nodes_form_one_cluster_and_every_node_serves_SMTP()
    {
        var all = Farm.Nodes.Select(n => n.ClusterAddress).OrderBy(a => a, StringComparer.Ordinal).ToArray();
        foreach (var node in Farm.Nodes)
        {
            // What an operator runs: the CLI against each node's admin API.
            var (code, output) = await node.CliAsync("cluster", "--json");
            Assert.True(code == 0, output);
            using var json = JsonDocument.Parse(output);
            var members = LocalFarm.ParseMembers(json.RootElement);
            Assert.Equal(all, members.Select(m => m.Address).OrderBy(a => a, StringComparer.Ordinal));
            Assert.All(members, m => Assert.Equal("Up", m.Status));
            Assert.Equal(node.ClusterAddress, json.RootElement.GetProperty("self").GetString());
        }
        for (var n = 1; n <= Farm.Nodes.Count; n++)
        {
            var reply = await Send.MessageAsync(Farm[n].SmtpPort, "alice@example.test", $"farm node {n}");
            Assert.True(reply?.StartsWith("250") == true, $"node {n}: {reply}");
        }
    }

    [Fact]
    public async Task A_block_caused_through_node_1_refuses_the_IP_at_node_3_within_one_second()
    {
        const string attacker = "127.0.0.30";
        Assert.StartsWith("220", await FarmSmtp.FirstReplyAsync(Farm[3].SmtpPort, attacker));
        await Send.StrikesAsync(Farm[1].SmtpPort, attacker, LocalFarm.StrikeThreshold - 1);

        // The clock starts when the node 1 answered the strike that reaches the threshold.
        await Send.StrikesAsync(Farm[1].SmtpPort, attacker, 1);
        var sinceStrike = Stopwatch.StartNew();
        var took = await FarmSmtp.WaitRefusedAsync(Farm[3].SmtpPort, attacker, sinceStrike, TimeSpan.FromSeconds(5));
        log.WriteLine($"block propagation node 1 -> node 3: {took?.TotalMilliseconds:F0} ms");
        Assert.NotNull(took);
        Assert.True(took < TimeSpan.FromSeconds(1), $"node 3 refused {attacker} only after {took?.TotalMilliseconds:F0} ms");

        // The refusal may come from the entity's answer; the accept gate's own cache must hold it too.
        var cached = await LocalFarm.WaitForLocalBlockAsync(Farm[3], attacker, TimeSpan.FromSeconds(1) - sinceStrike.Elapsed);
        log.WriteLine($"in node 3's local block cache after {sinceStrike.Elapsed.TotalMilliseconds:F0} ms");
        Assert.NotNull(cached);

        Assert.StartsWith("220 ", await FarmSmtp.FirstReplyAsync(Farm[3].SmtpPort, "127.0.0.31"));
        Assert.Equal(FarmSmtp.BlockedReply, await FarmSmtp.FirstReplyAsync(Farm[2].SmtpPort, attacker));
    }
}
