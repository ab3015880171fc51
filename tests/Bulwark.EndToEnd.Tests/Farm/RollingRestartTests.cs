using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Bulwark.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Bulwark.EndToEnd.Tests.Farm;

/// <summary>
/// Rolling restart under load, as an operator upgrades a farm: one node at a time gets SIGTERM
/// (it closes its port, drains, leaves handing its shards off, exits 0), is started again on its
/// data folder, and is Up and serving before the next one goes. Legitimate mail never gets a 5xx
/// and everything acknowledged reaches the next hop. Connections refused by the stopped listener
/// are not SMTP replies: a real client retries another MX host; they are counted apart.
/// </summary>
public sealed class RollingRestartTests(ITestOutputHelper log)
{
    [Fact]
    public async Task A_rolling_restart_under_load_gives_no_5xx_and_loses_nothing_acknowledged()
    {
        var clock = Stopwatch.StartNew();
        using var sink = new SmtpSink();
        sink.Start();
        await using var farm = await LocalFarm.StartAsync(3, environment: SteadyLoad.FarmEnvironment(sink));
        var timeline = new Timeline(clock);
        timeline.Mark("3-node farm formed");

        var load = SteadyLoad.Start(6, farm.Nodes.Select(n => n.SmtpPort), SteadyLoad.Sources, SteadyLoad.Recipients, TimeSpan.FromMilliseconds(250));
        using var watch = new CancellationTokenSource();
        var watcher = Task.Run(() => timeline.WatchAsync(load, watch.Token));
        var exitCodes = new List<string>();
        var restartTimes = new List<string>();
        var drainedCounts = new List<string>();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(4));
            // Node 3, then node 2, not the seed node 1: a restarted seed would have to find the
            // running cluster through another seed, which this farm's configuration does not list.
            foreach (var n in new[] { 3, 2 })
            {
                var node = farm[n];
                var sinceTerm = Stopwatch.StartNew();
                var acknowledgedBefore = AcknowledgedAt(load, node);
                timeline.Mark($"SIGTERM node {n} ({load.Figures()})");
                var exitCode = await node.StopAsync(TimeSpan.FromSeconds(60));
                var stopped = sinceTerm.Elapsed;
                // Sessions the node finished after SIGTERM: what its drain let complete.
                var drained = AcknowledgedAt(load, node) - acknowledgedBefore;
                timeline.Mark($"node {n} exited with {exitCode?.ToString() ?? "nothing"} after {stopped.TotalSeconds:F1} s; " +
                              $"it acknowledged {drained} message(s) after the SIGTERM");
                exitCodes.Add($"n{n}={exitCode?.ToString() ?? "none"}");
                drainedCounts.Add($"n{n}={drained}");
                Assert.True(exitCode == 0, $"node {n} exit code {exitCode?.ToString() ?? "none (still running)"}:\n{node.Output}");

                await node.StartAgainAsync();
                timeline.Mark($"node {n} restarted on its data folder, SMTP open");
                foreach (var observer in farm.Nodes)
                    await farm.WaitForMembersAsync(observer, farm.Nodes.Select(x => x.ClusterAddress), TimeSpan.FromSeconds(60));
                await AssertUpInCliAsync(node, farm);
                var probe = await ServesSmtpAsync(node, n, TimeSpan.FromSeconds(30));
                restartTimes.Add($"n{n}: exit {stopped.TotalSeconds:F1}s, serving {sinceTerm.Elapsed.TotalSeconds:F1}s after SIGTERM");
                timeline.Mark($"node {n} Up in `bulwark cluster` everywhere and serving ({probe}) {sinceTerm.Elapsed.TotalSeconds:F1} s after SIGTERM");
            }
            await Task.Delay(TimeSpan.FromSeconds(4));
        }
        finally
        {
            await load.StopAsync();
            await watch.CancelAsync();
            await watcher;
        }
        timeline.Mark($"load stopped ({load.Figures()})");

        var missing = await FarmFigures.WaitForDeliveryAsync(sink, load.Acknowledged.Keys, TimeSpan.FromSeconds(60));
        var delivered = load.Acknowledged.Count - missing.Count;
        var shards = await FarmFigures.DescribeShardsAsync(farm, farm[1]);
        var figures = $"sent={load.Attempts} {load.Figures()} sessions-cut={load.CutSessions.Count} delivered={delivered} missing={missing.Count} " +
                      $"exit-codes=[{string.Join(",", exitCodes)}] acknowledged-during-drain=[{string.Join(",", drainedCounts)}] restarts=[{string.Join("; ", restartTimes)}] " +
                      $"shards-after: {shards} duration={clock.Elapsed.TotalSeconds:F0}s";
        foreach (var line in timeline.Lines) log.WriteLine(line);
        log.WriteLine(figures);
        FarmFigures.Append("rolling-restart", figures);
        foreach (var reply in load.TemporaryReplies) FarmFigures.Append("rolling-restart 4xx", reply);
        foreach (var cut in load.CutSessions) FarmFigures.Append("rolling-restart cut", cut);

        Assert.True(load.PermanentReplies.IsEmpty, $"5xx to legitimate mail: {string.Join(" | ", load.PermanentReplies.Take(10))}");
        // The goal of a rolling restart: it refuses nothing. Closed ports are not replies (the
        // client tries the next MX); a 421 to a session or a session cut mid-transaction would be.
        var timelineText = string.Join("\n", timeline.Lines);
        Assert.True(load.TemporaryReplies.IsEmpty, $"4xx during the rolling restart: {string.Join(" | ", load.TemporaryReplies)}\n{timelineText}");
        Assert.True(load.CutSessions.IsEmpty, $"sessions cut during the rolling restart: {string.Join(" | ", load.CutSessions)}\n{timelineText}");
        Assert.True(load.Acknowledged.Count >= 50, $"too little load to mean anything: {load.Figures()}");
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged messages never reached the next hop, e.g. " +
                                        $"{string.Join(", ", missing.Take(10).Select(s => $"{s} (acknowledged at :{load.Acknowledged[s]})"))}");
    }

    private static int AcknowledgedAt(SteadyLoad load, BulwarkNode node) => load.Acknowledged.Values.Count(port => port == node.SmtpPort);

    /// <summary>What an operator checks before the next node: `bulwark cluster` at the restarted
    /// node lists every member Up.</summary>
    private static async Task AssertUpInCliAsync(BulwarkNode node, LocalFarm farm)
    {
        var (code, output) = await node.CliAsync("cluster");
        Assert.True(code == 0, output);
        using var json = JsonDocument.Parse(output);
        var members = LocalFarm.ParseMembers(json.RootElement);
        Assert.Equal(farm.Nodes.Select(n => n.ClusterAddress).Order(StringComparer.Ordinal), members.Select(m => m.Address).Order(StringComparer.Ordinal));
        Assert.All(members, m => Assert.Equal("Up", m.Status));
    }

    /// <summary>Polls until a whole message to the node gets 250; the replies before it, for the log.</summary>
    private static async Task<string> ServesSmtpAsync(BulwarkNode node, int n, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var replies = new List<string>();
        for (var i = 0; ; i++)
        {
            var reply = await Send.MessageAsync(node.SmtpPort, "alice@example.test", $"probe after restart of node {n} #{i}");
            if (reply?.StartsWith("250") == true) return replies.Count == 0 ? "first probe 250" : $"250 after {string.Join(" | ", replies)}";
            replies.Add(reply ?? "closed");
            Assert.True(DateTime.UtcNow < deadline, $"node {n} did not accept a message within {timeout}: {string.Join(" | ", replies)}");
            await Task.Delay(250);
        }
    }

    /// <summary>Marks and, every 100 ms, the 4xx replies and cut sessions seen since the last look,
    /// timed; connection failures are shown as runs (first to last, count) to keep the log short.</summary>
    private sealed class Timeline(Stopwatch clock)
    {
        private readonly ConcurrentQueue<(TimeSpan At, string Text)> _lines = new();
        /// <summary>In time order: a run of failures is written when it ends, after later marks.</summary>
        public IEnumerable<string> Lines => _lines.OrderBy(l => l.At).Select(l => $"{l.At.TotalSeconds,6:F1} s: {l.Text}");

        public void Mark(string text) => _lines.Enqueue((clock.Elapsed, text));

        public async Task WatchAsync(SteadyLoad load, CancellationToken stop)
        {
            int seen4xx = 0, seenCut = 0, seenFailures = 0, runFailures = 0;
            TimeSpan runStart = default, runLast = default;
            while (true)
            {
                var replies = load.TemporaryReplies.ToArray();
                for (; seen4xx < replies.Length; seen4xx++) Mark($"4xx {replies[seen4xx]}");
                var cut = load.CutSessions.ToArray();
                for (; seenCut < cut.Length; seenCut++) Mark($"session cut {cut[seenCut]}");
                var failures = load.ConnectionFailures;
                if (failures > seenFailures)
                {
                    if (runFailures == 0) runStart = clock.Elapsed;
                    runLast = clock.Elapsed;
                    runFailures += failures - seenFailures;
                    seenFailures = failures;
                }
                // A run ends after a second without failures (or at the end).
                if (runFailures > 0 && (clock.Elapsed - runLast > TimeSpan.FromSeconds(1) || stop.IsCancellationRequested))
                {
                    _lines.Enqueue((runStart, $"{runFailures} connection failures from here to {runLast.TotalSeconds:F1} s"));
                    runFailures = 0;
                }
                if (stop.IsCancellationRequested) return;
                try { await Task.Delay(100, stop); } catch (OperationCanceledException) { }
            }
        }
    }
}
