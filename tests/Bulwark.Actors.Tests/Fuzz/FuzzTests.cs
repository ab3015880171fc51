using System.Diagnostics;
using Xunit.Abstractions;

namespace Bulwark.Actors.Tests.Fuzz;

/// <summary>
/// Random and mutated SMTP lines and DATA bodies through the real protocol path (listener,
/// wire reader, command parser, phase rules, path parser, DATA reader, header filter, file
/// spool). See docs/fuzzing.md. The counts and seed are printed so any failure can be re-run.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class FuzzTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ConnectionDeadline = TimeSpan.FromSeconds(60);
    private const long MemoryGrowthLimit = 64L * 1024 * 1024;

    [Fact]
    public async Task Fuzzed_dialogues_get_well_formed_replies_and_leave_the_node_healthy()
    {
        var plan = FuzzPlan.FromEnvironment(lines: 200_000, bodies: 2_000, seed: 20261127);
        await RunAndCheckAsync(plan, reputation: false);
    }

    /// <summary>Smaller pass with the reputation messages on: every connection opened is closed again.</summary>
    [Fact]
    public async Task Fuzzed_dialogues_with_reputation_on_close_every_connection_they_open()
    {
        var full = FuzzPlan.FromEnvironment(lines: 200_000, bodies: 2_000, seed: 20261127);
        var plan = full with { Lines = full.Lines / 10, Bodies = full.Bodies / 10, Seed = full.Seed + 1 };
        var node = await RunAndCheckAsync(plan, reputation: true);
        Assert.Equal(node.Opened, node.Closed);
        Assert.True(node.Evidence > 0, "refusals were reported as evidence");
    }

    private async Task<ReputationCounter> RunAndCheckAsync(FuzzPlan plan, bool reputation)
    {
        output.WriteLine($"fuzz plan: lines={plan.Lines} bodies={plan.Bodies} seed={plan.Seed} workers={plan.Workers} reputation={reputation}");
        output.WriteLine($"reproduce: BULWARK_FUZZ_LINES={plan.Lines} BULWARK_FUZZ_BODIES={plan.Bodies} BULWARK_FUZZ_SEED={plan.Seed} bench/fuzz.sh");
        await using var node = new FuzzNode(reputation);
        // Warm up (JIT, actor system, spool directories) before the memory baseline.
        await FinalCheck.SendsANormalMessageAsync(node);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();

        var stats = await FuzzRun.RunAsync(node, plan, ConnectionDeadline);

        clock.Stop();
        output.WriteLine(stats.Summary());
        output.WriteLine($"time={clock.Elapsed.TotalSeconds:F1}s lines/s={stats.Lines / clock.Elapsed.TotalSeconds:F0} delivered={node.Delivered}");
        foreach (var v in stats.Violations) output.WriteLine("VIOLATION " + v);
        foreach (var e in node.Errors.Take(20)) output.WriteLine("ERROR " + e);
        foreach (var w in node.Warnings.GroupBy(w => w.Length > 80 ? w[..80] : w).Take(10)) output.WriteLine($"warning x{w.Count()}: {w.Key}");

        var settled = await node.SettledAsync(TimeSpan.FromSeconds(15));
        output.WriteLine($"open connections={node.Listener.OpenConnections} live sessions={node.Listener.Sessions.Count}");
        await FinalCheck.SendsANormalMessageAsync(node);
        Assert.True(await node.SettledAsync(TimeSpan.FromSeconds(15)));
        var after = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"memory before={before / 1024} KB after={after / 1024} KB growth={(after - before) / 1024} KB");

        Assert.True(stats.Lines >= plan.Lines && stats.Bodies >= plan.Bodies, stats.Summary());
        Assert.Empty(stats.Violations);
        Assert.Empty(node.Errors);
        Assert.True(settled, "every connection closed and every session actor stopped");
        Assert.Empty(node.TmpFiles());
        Assert.True(after - before < MemoryGrowthLimit, $"memory grew by {(after - before) / 1024} KB");
        Assert.True(stats.BodiesAccepted > 0 && stats.BodiesRefused > 0, "both verdicts were reached");
        return node.Reputation ?? new ReputationCounter();
    }

    /// <summary>Replays one connection of a run: BULWARK_FUZZ_REPLAY=seed:wantBodies (printed with each violation).
    /// Without the variable it replays connection 0 of the default seed, so it always runs.</summary>
    [Fact]
    public async Task One_connection_replays_alone_from_its_seed()
    {
        var replay = Environment.GetEnvironmentVariable("BULWARK_FUZZ_REPLAY")?.Split(':');
        var seed = replay is { Length: 2 } ? int.Parse(replay[0]) : FuzzPlan.FromEnvironment(0, 0, 20261127).ConnectionSeed(0);
        var wantBodies = replay is not { Length: 2 } || bool.Parse(replay[1]);
        await using var node = new FuzzNode(reputation: false);
        var stats = new FuzzStats();
        await new FuzzSession(node, seed, stats).RunAsync(wantBodies, ConnectionDeadline);
        output.WriteLine($"seed={seed} wantBodies={wantBodies} " + stats.Summary());
        foreach (var v in stats.Violations) output.WriteLine("VIOLATION " + v);
        Assert.Empty(stats.Violations);
        Assert.True(await node.SettledAsync(TimeSpan.FromSeconds(10)));
        Assert.Empty(node.Errors);
    }
}
