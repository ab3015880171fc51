using System.Diagnostics;
using System.Net.Http;
using System.Text.Json;
using Bulwark.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Bulwark.EndToEnd.Tests.Farm;

public sealed class NodeLossTests(ITestOutputHelper log)
{
    private static readonly string[] Attackers = ["127.0.0.40", "127.0.0.41", "127.0.0.42", "127.0.0.43"];

    [Fact]
    public async Task A_killed_node_is_downed_its_blocks_survive_and_it_rebuilds_them_from_PostgreSQL_on_restart()
    {
        await using var farm = await LocalFarm.StartAsync(3);
        foreach (var ip in Attackers)
        {
            await Send.StrikesAsync(farm[1].SmtpPort, ip, LocalFarm.StrikeThreshold);
            // Each accept gate must hold it locally (a refusal can also come from the entity's answer).
            foreach (var node in farm.Nodes)
                Assert.True(await LocalFarm.WaitForLocalBlockAsync(node, ip, TimeSpan.FromSeconds(5)) is not null,
                    $"{ip} not in the local block cache of {node.ClusterAddress}:\n{node.Output}");
        }

        // Kill a node (not the seed: see the report on seeds) that hosts IpReputation entities of blocked IPs.
        var victimNumber = await NodeHostingBlockedEntitiesAsync(farm);
        var victim = farm[victimNumber];
        var survivors = farm.Nodes.Where(n => n != victim).ToArray();
        victim.Kill();
        var sinceKill = Stopwatch.StartNew();

        // The survivors' accept gates hold the blocks locally: refused at once, before any downing.
        foreach (var node in survivors)
            foreach (var ip in Attackers)
                await AssertRefusedAsync(node, ip, $"{sinceKill.Elapsed.TotalSeconds:F1} s after the kill");

        foreach (var node in survivors)
            await farm.WaitForMembersAsync(node, survivors.Select(s => s.ClusterAddress), TimeSpan.FromSeconds(90));
        log.WriteLine($"node {victimNumber} killed; downed and removed at the survivors after {sinceKill.Elapsed.TotalSeconds:F1} s");

        // The entities that lived on the victim start again on a survivor from the journal.
        foreach (var ip in Attackers)
        {
            var status = await IpStatusAsync(survivors[0], ip);
            Assert.True(status.TryGetProperty("blockedUntil", out var until) && until.ValueKind == JsonValueKind.String, $"{ip}: {status}");
            await AssertRefusedAsync(survivors[^1], ip, "after the downing");
        }

        var sinceRestart = Stopwatch.StartNew();
        await victim.StartAgainAsync();
        log.WriteLine($"node {victimNumber} restarted on its data folder; SMTP ready after {sinceRestart.Elapsed.TotalSeconds:F1} s");
        Assert.True(await victim.WaitForOutputAsync($"block cache rebuilt from", TimeSpan.FromSeconds(10)), victim.Output);
        foreach (var ip in Attackers)
            await AssertRefusedAsync(victim, ip, "after the restart");
        await farm.WaitForMembersAsync(farm[1], farm.Nodes.Select(n => n.ClusterAddress), TimeSpan.FromSeconds(60));
        log.WriteLine($"node {victimNumber} back as a member after {sinceRestart.Elapsed.TotalSeconds:F1} s");
        Assert.StartsWith("250", await Send.MessageAsync(victim.SmtpPort, "alice@example.test", "after restart"));
    }

    /// <summary>Node 2 or 3, whichever hosts more IpReputation entities according to GET /admin/shards.</summary>
    private async Task<int> NodeHostingBlockedEntitiesAsync(LocalFarm farm)
    {
        var (code, output) = await farm[1].CliAsync("shards", "--json");
        Assert.True(code == 0, output);
        log.WriteLine($"shards before the kill: {output}");
        using var json = JsonDocument.Parse(output);
        var perNode = new Dictionary<int, int> { [2] = 0, [3] = 0 };
        foreach (var region in json.RootElement.GetProperty("ip-reputation").EnumerateObject())
            foreach (var n in perNode.Keys.ToArray())
                if (region.Name.EndsWith($":{farm[n].ClusterPort}", StringComparison.Ordinal))
                    perNode[n] = region.Value.GetProperty("entities").GetInt32();
        var victim = perNode[2] >= perNode[3] ? 2 : 3;
        Assert.True(perNode[victim] > 0, $"neither node 2 nor 3 hosts an IpReputation entity: {output}");
        return victim;
    }

    private static async Task AssertRefusedAsync(BulwarkNode node, string ip, string when)
    {
        var reply = await FarmSmtp.FirstReplyAsync(node.SmtpPort, ip);
        Assert.True(reply == FarmSmtp.BlockedReply, $"{ip} at {node.ClusterAddress} {when}: got '{reply}'");
    }

    private static async Task<JsonElement> IpStatusAsync(BulwarkNode node, string ip)
    {
        // The first ask after the downing may wait for the shard to be allocated again: retry briefly.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var (code, output) = await node.CliAsync("ip-status", ip, "--json");
            if (code == 0) return JsonDocument.Parse(output).RootElement.Clone();
            if (DateTime.UtcNow > deadline) throw new HttpRequestException($"ip-status {ip} failed: {output}");
            await Task.Delay(500);
        }
    }
}
