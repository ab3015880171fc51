using System.Text.RegularExpressions;
using Bulwark.EndToEnd.Tests.Infrastructure;

namespace Bulwark.EndToEnd.Tests.Observability;

/// <summary>The queue and the rest of the admin CLI against real nodes whose next hop is down.</summary>
public sealed class QueueCliTests
{
    [Fact]
    public async Task Retry_and_flush_deliver_at_once_what_would_wait_minutes()
    {
        var hopPort = FreePort.Next();
        using var node = await BulwarkNode.StartAsync(new Dictionary<string, string>
        {
            ["BULWARK_Delivery__NextHop__Host"] = "127.0.0.1",
            ["BULWARK_Delivery__NextHop__Port"] = hopPort.ToString(),
            ["BULWARK_Delivery__NextHop__TimeoutSeconds"] = "2",
            ["BULWARK_Delivery__InitialRetrySeconds"] = "600",
        });
        Assert.StartsWith("250", await Send.MessageAsync(node.SmtpPort, "alice@example.test", "queued-one"));
        Assert.StartsWith("250", await Send.MessageAsync(node.SmtpPort, "bob@example.test", "queued-two"));

        var list = await WaitForCliAsync(node, ["queue", "list"], o => o.Contains("2 message(s)") && Attempted(o), "two messages tried once");
        var ids = QueueIds(list);
        Assert.Equal(2, ids.Count);
        var (statsExit, stats) = await node.CliAsync("queue", "stats", "--json");
        Assert.True(statsExit == 0, stats);
        Assert.Contains("\"depth\": 2", stats);
        var (statsTableExit, statsTable) = await node.CliAsync("queue", "stats");
        Assert.True(statsTableExit == 0, statsTable);
        Assert.Matches(@"(?m)^depth:\s+2$", statsTable);
        Assert.Matches(@"(?m)^in flight:\s+\d+$", statsTable);

        using var sink = new SmtpSink(hopPort);
        sink.Start();
        var (retryExit, retried) = await node.CliAsync("queue", "retry", ids[0]);
        Assert.True(retryExit == 0, retried);
        Assert.StartsWith($"{ids[0]}: ", retried);
        await sink.WaitForMessagesAsync(1, TimeSpan.FromSeconds(20));
        var (flushExit, flushed) = await node.CliAsync("queue", "flush");
        Assert.True(flushExit == 0, flushed);
        Assert.Matches(@"^\d+ waiting message\(s\) made due now\n$", flushed);
        await sink.WaitForMessagesAsync(2, TimeSpan.FromSeconds(20));
        await WaitForCliAsync(node, ["queue", "list"], o => o.Contains("queue is empty"), "an empty queue");

        var (unknownExit, unknown) = await node.CliAsync("queue", "retry", "no-such-id");
        Assert.Equal(1, unknownExit);
        Assert.Contains("404", unknown);
    }

    [Fact]
    public async Task A_dead_letter_is_listed_and_requeued_into_delivery()
    {
        var hopPort = FreePort.Next();
        using var node = await BulwarkNode.StartAsync(new Dictionary<string, string>
        {
            ["BULWARK_Delivery__NextHop__Host"] = "127.0.0.1",
            ["BULWARK_Delivery__NextHop__Port"] = hopPort.ToString(),
            ["BULWARK_Delivery__NextHop__TimeoutSeconds"] = "2",
            ["BULWARK_Delivery__InitialRetrySeconds"] = "1",
            ["BULWARK_Delivery__MaxAgeSeconds"] = "1",
        });
        Assert.StartsWith("250", await Send.MessageAsync(node.SmtpPort, "alice@example.test", "dies-then-lives"));
        var dead = await WaitForCliAsync(node, ["queue", "dead"], o => o.Contains("1 dead letter(s)"), "one dead letter");
        var id = QueueIds(dead).Single();

        using var sink = new SmtpSink(hopPort);
        sink.Start();
        var (requeueExit, requeued) = await node.CliAsync("queue", "requeue", id);
        Assert.True(requeueExit == 0, requeued);
        Assert.Equal($"{id}: requeued for delivery\n", requeued);
        Assert.Contains("dies-then-lives", await sink.WaitForMessageAsync("dies-then-lives", TimeSpan.FromSeconds(20)));
        await WaitForCliAsync(node, ["queue", "dead"], o => o.Contains("no dead letters"), "no dead letters left");
    }

    [Fact]
    public async Task Every_listing_command_prints_a_table_and_exits_0()
    {
        using var node = await BulwarkNode.StartAsync();
        var (clusterExit, cluster) = await node.CliAsync("cluster");
        Assert.True(clusterExit == 0, cluster);
        Assert.Matches(@"MEMBER\s+STATUS\s+REACHABLE\s+ROLES\s+VERSION", cluster);
        Assert.Contains($"{node.ClusterAddress}  Up", cluster);

        var (shardsExit, shards) = await node.CliAsync("shards");
        Assert.True(shardsExit == 0, shards);
        Assert.Matches(@"ENTITY TYPE\s+NODE\s+SHARDS\s+ENTITIES", shards);
        Assert.Contains("recipient-directory", shards);

        var (blocksExit, blocks) = await node.CliAsync("blocks");
        Assert.True(blocksExit == 0, blocks);
        Assert.Contains("no blocked IPs", blocks);

        var (ipExit, ip) = await node.CliAsync("ip-status", "127.0.0.70", "--json");
        Assert.True(ipExit == 0, ip);
        Assert.Contains("\"blockedUntil\": null", ip);
        var (ipTableExit, ipTable) = await node.CliAsync("ip-status", "127.0.0.70");
        Assert.True(ipTableExit == 0, ipTable);
        Assert.Matches(@"(?m)^ip:\s+127\.0\.0\.70$", ipTable);
        Assert.Matches(@"(?m)^blocked until:\s+not blocked$", ipTable);

        var (quarantineExit, quarantine) = await node.CliAsync("quarantine", "list");
        Assert.True(quarantineExit == 0, quarantine);
        Assert.Contains("quarantine is empty", quarantine);
        var (showExit, show) = await node.CliAsync("quarantine", "show", "no-such-entry");
        Assert.Equal(1, showExit);
        Assert.Contains("404", show);

        var (usageExit, usage) = await node.CliAsync("queue", "explode");
        Assert.Equal(2, usageExit);
        Assert.Contains("usage: bulwark", usage);

        using var down = new BulwarkNode();
        var (unreachableExit, unreachable) = await down.CliAsync("cluster");
        Assert.Equal(1, unreachableExit);
        Assert.Contains("cannot reach the admin API", unreachable);
    }

    private static bool Attempted(string queueListing) =>
        queueListing.Split('\n').Count(l => Regex.IsMatch(l, @"^\S+\s+waiting\s+\S+\s+1\s")) == 2;

    private static List<string> QueueIds(string table) =>
        table.Split('\n').Skip(1).Where(l => l.Length > 0 && !l.Contains("message(s)") && !l.Contains("dead letter(s)"))
            .Select(l => l.Split(' ')[0]).ToList();

    private static async Task<string> WaitForCliAsync(BulwarkNode node, string[] args, Func<string, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var output = "";
        while (DateTime.UtcNow < deadline)
        {
            int exit;
            (exit, output) = await node.CliAsync(args);
            Assert.True(exit == 0, output);
            if (condition(output)) return output;
            await Task.Delay(300);
        }
        throw new TimeoutException($"waited 30 s for {what}; last output:\n{output}");
    }
}
