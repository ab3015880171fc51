namespace Bulwark.Actors.Tests.Fuzz;

/// <summary>How much to fuzz. The defaults are the fast pass of the normal test run;
/// bench/fuzz.sh sets BULWARK_FUZZ_LINES / BULWARK_FUZZ_BODIES / BULWARK_FUZZ_SEED for the full pass.</summary>
public sealed record FuzzPlan(long Lines, long Bodies, int Seed, int Workers)
{
    public static FuzzPlan FromEnvironment(long lines, long bodies, int seed) => new(
        Read("BULWARK_FUZZ_LINES", lines), Read("BULWARK_FUZZ_BODIES", bodies), (int)Read("BULWARK_FUZZ_SEED", seed),
        (int)Read("BULWARK_FUZZ_WORKERS", 8));

    private static long Read(string name, long fallback) =>
        long.TryParse(Environment.GetEnvironmentVariable(name), out var value) ? value : fallback;

    /// <summary>Connection number <paramref name="index"/>'s own seed: any one connection can be replayed alone.</summary>
    public int ConnectionSeed(long index) => unchecked((int)(Seed * 1_000_003L + index * 7_919L));
}

public static class FuzzRun
{
    /// <summary>Runs connections on <see cref="FuzzPlan.Workers"/> parallel workers until both
    /// counts are reached. Connections are numbered in start order; each one's seed comes
    /// from the plan's seed and its number.</summary>
    public static async Task<FuzzStats> RunAsync(FuzzNode node, FuzzPlan plan, TimeSpan connectionDeadline)
    {
        var stats = new FuzzStats();
        long next = -1;
        bool Done() => Interlocked.Read(ref stats.Lines) >= plan.Lines && Interlocked.Read(ref stats.Bodies) >= plan.Bodies;
        // Behind on bodies relative to lines: lean toward transactions that reach DATA.
        bool WantBodies() => Interlocked.Read(ref stats.Bodies) * Math.Max(plan.Lines, 1) < plan.Bodies * Interlocked.Read(ref stats.Lines) + plan.Bodies;
        var workers = Enumerable.Range(0, plan.Workers).Select(_ => Task.Run(async () =>
        {
            while (!Done())
            {
                var session = new FuzzSession(node, plan.ConnectionSeed(Interlocked.Increment(ref next)), stats);
                await session.RunAsync(WantBodies(), connectionDeadline);
            }
        }));
        await Task.WhenAll(workers);
        return stats;
    }
}
