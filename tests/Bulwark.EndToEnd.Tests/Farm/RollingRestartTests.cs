using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Bulwark.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Bulwark.EndToEnd.Tests.Farm;

/// <summary>
/// Rolling restart under load, as an operator upgrades a farm: one node at a time gets SIGTERM
/// (it closes its port, drains, leaves handing its shards off, exits 0), is started again on its
/// data folder, and is Up and serving before the next one goes. Legitimate mail never gets a 4xx
/// or 5xx, no session is cut, and everything acknowledged reaches the next hop. Connections refused
/// by the stopped listener are not SMTP replies: a real client retries another MX host; they are
/// counted apart. At each SIGTERM our own idle session must get 421 4.3.2 and our own open
/// transaction must be let finish (250, delivered).
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
        var drainReplies = new List<string>();
        var heldAcknowledged = new List<string>();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(4));
            // Node 3, then node 2, not the seed node 1: a restarted seed would have to find the
            // running cluster through another seed, which this farm's configuration does not list.
            foreach (var n in new[] { 3, 2 })
            {
                var node = farm[n];
                // Two sessions of our own at SIGTERM: one inside a transaction (RCPT accepted),
                // which the drain must let finish, and one idle (after EHLO), which gets 421.
                var subject = $"load-held-{Guid.NewGuid():N}";
                using var held = await OpenTransactionAsync(node.SmtpPort);
                using var idle = await RawSmtpClient.ConnectAsync(node.SmtpPort, "127.0.0.61");
                Assert.StartsWith("220", await idle.ReadReplyAsync());
                Assert.StartsWith("250", await idle.CommandAsync("EHLO idle.test"));

                var acknowledgedBefore = AcknowledgedAt(load, node);
                var sinceTerm = Stopwatch.StartNew();
                timeline.Mark($"SIGTERM node {n} ({load.Figures()})");
                var stopping = node.StopAsync(TimeSpan.FromSeconds(60));
                var closed = await WaitPortClosedAsync(node.SmtpPort, TimeSpan.FromSeconds(10));
                timeline.Mark($"node {n} SMTP port {(closed ? "closed" : "STILL OPEN")} {sinceTerm.Elapsed.TotalSeconds:F1} s after SIGTERM");
                var idleReply = await idle.ReadReplyAsync(TimeSpan.FromSeconds(10)) ?? "closed without a reply";
                await held.SendAsync("DATA\r\n");
                var heldData = await held.ReadReplyAsync(TimeSpan.FromSeconds(10)) ?? "closed";
                var heldFinal = "not sent";
                if (heldData.StartsWith("354", StringComparison.Ordinal))
                {
                    await held.SendAsync($"Subject: {subject}\r\n\r\nheld across SIGTERM\r\n.\r\n");
                    heldFinal = await held.ReadReplyAsync(TimeSpan.FromSeconds(20)) ?? "closed";
                }
                if (heldFinal.StartsWith("250", StringComparison.Ordinal)) heldAcknowledged.Add(subject);
                drainReplies.Add($"n{n}: idle={idleReply} held-DATA={heldData} held-end={heldFinal}");
                timeline.Mark($"node {n} draining: idle session got '{idleReply}', the held transaction got '{heldData}' then '{heldFinal}'");

                var exitCode = await stopping;
                var stopped = sinceTerm.Elapsed;
                // Load sessions the node finished after SIGTERM (the held one aside).
                var drained = AcknowledgedAt(load, node) - acknowledgedBefore;
                timeline.Mark($"node {n} exited with {exitCode?.ToString() ?? "nothing"} after {stopped.TotalSeconds:F1} s; " +
                              $"it acknowledged {drained} load message(s) after the SIGTERM");
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

        var missing = await FarmFigures.WaitForDeliveryAsync(sink, load.Acknowledged.Keys.Concat(heldAcknowledged), TimeSpan.FromSeconds(60));
        var delivered = load.Acknowledged.Count - missing.Count;
        var shards = await FarmFigures.DescribeShardsAsync(farm, farm[1]);
        var figures = $"sent={load.Attempts} {load.Figures()} sessions-cut={load.CutSessions.Count} delivered={delivered} missing={missing.Count} " +
                      $"exit-codes=[{string.Join(",", exitCodes)}] load-acknowledged-during-drain=[{string.Join(",", drainedCounts)}] drain=[{string.Join("; ", drainReplies)}] restarts=[{string.Join("; ", restartTimes)}] " +
                      $"shards-after: {shards} duration={clock.Elapsed.TotalSeconds:F0}s";
        foreach (var line in timeline.Lines) log.WriteLine(line);
        log.WriteLine(figures);
        FarmFigures.Append("rolling-restart", figures);
        foreach (var reply in load.TemporaryReplies) FarmFigures.Append("rolling-restart 4xx", reply);
        foreach (var cut in load.CutSessions) FarmFigures.Append("rolling-restart cut", cut);

        Assert.True(load.PermanentReplies.IsEmpty, $"5xx to legitimate mail: {string.Join(" | ", load.PermanentReplies.Take(10))}");
        Assert.All(drainReplies, r => Assert.Contains("idle=421 4.3.2", r));
        Assert.True(heldAcknowledged.Count == 2, $"a transaction open at SIGTERM was not let finish: {string.Join("; ", drainReplies)}");
        // The goal of a rolling restart: it refuses nothing. Closed ports are not replies (the
        // client tries the next MX); a 421 to a session or a session cut mid-transaction would be.
        var timelineText = string.Join("\n", timeline.Lines);
        Assert.True(load.TemporaryReplies.IsEmpty, $"4xx during the rolling restart: {string.Join(" | ", load.TemporaryReplies)}\n{timelineText}");
        Assert.True(load.CutSessions.IsEmpty, $"sessions cut during the rolling restart: {string.Join(" | ", load.CutSessions)}\n{timelineText}");
        Assert.True(load.Acknowledged.Count >= 50, $"too little load to mean anything: {load.Figures()}");
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged messages never reached the next hop, e.g. " +
                                        $"{string.Join(", ", missing.Take(10).Select(s => $"{s} (acknowledged at :{load.Acknowledged.GetValueOrDefault(s)})"))}");
    }

    /// <summary>A session left inside a transaction: sender and recipient accepted, DATA not yet sent.</summary>
    private static async Task<RawSmtpClient> OpenTransactionAsync(int port)
    {
        var client = await RawSmtpClient.ConnectAsync(port, "127.0.0.60");
        Assert.StartsWith("220", await client.ReadReplyAsync());
        Assert.StartsWith("250", await client.CommandAsync("EHLO held.test"));
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<sender@remote.test>"));
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<bob@example.test>"));
        return client;
    }

    /// <summary>Polls new connections until one is refused: the listener stopped accepting.</summary>
    private static async Task<bool> WaitPortClosedAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var probe = await RawSmtpClient.ConnectAsync(port);
            }
            catch (System.Net.Sockets.SocketException) { return true; }
            await Task.Delay(50);
        }
        return false;
    }

    private static int AcknowledgedAt(SteadyLoad load, BulwarkNode node) => load.Acknowledged.Values.Count(port => port == node.SmtpPort);

    /// <summary>What an operator checks before the next node: `bulwark cluster` at the restarted
    /// node lists every member Up.</summary>
    private static async Task AssertUpInCliAsync(BulwarkNode node, LocalFarm farm)
    {
        var (code, output) = await node.CliAsync("cluster", "--json");
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
