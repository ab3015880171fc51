using System.Collections.Immutable;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Reputation;

/// <summary>A block the rules decided: persist it, then tell every listener.</summary>
/// <param name="Offences">Offences including this one (1 for a first block).</param>
public sealed record BlockDecision(DateTimeOffset Until, TimeSpan Duration, string Reason, int Offences);

/// <summary>Strikes to blocks: the whole policy of first-party reputation, without actors.</summary>
public static class ReputationRules
{
    /// <summary>
    /// Adds one piece of evidence. Reaching <see cref="ReputationOptions.StrikeThreshold"/>
    /// strikes inside the sliding <see cref="ReputationOptions.StrikeWindow"/> blocks for
    /// BaseBlock * 2^(earlier offences), capped at MaxBlock, and clears the strikes.
    /// Evidence that arrives while blocked (sessions still in flight) is ignored, so that a
    /// block is not extended by the tail of the very burst that caused it.
    /// The caller checks the allowlist: these rules would block anyone.
    /// </summary>
    public static (ReputationState State, BlockDecision? Block) Apply(
        ReputationState state, Evidence evidence, DateTimeOffset now, ReputationOptions options)
    {
        var weight = EvidenceWeights.Of(evidence);
        if (weight <= 0 || state.IsBlocked(now))
            return (state, null);

        var threshold = Math.Max(1, options.StrikeThreshold);
        var windowStart = now - options.StrikeWindow;
        var strikes = state.Strikes.Where(t => t > windowStart).ToList();
        for (var i = 0; i < weight; i++)
            strikes.Add(now);
        // Bounded memory: once there are `threshold` strikes we block, so older ones never matter.
        if (strikes.Count > threshold)
            strikes.RemoveRange(0, strikes.Count - threshold);

        if (strikes.Count < threshold)
            return (state with { Strikes = strikes.ToImmutableArray() }, null);

        var earlier = state.OffencesAt(now, options);
        var duration = BlockDuration(earlier, options);
        var until = now + duration;
        var reason = $"{threshold} strikes within {options.StrikeWindow} (last: {evidence})";
        var blocked = state.WithBlock(until, reason).WithOffence(earlier + 1, now);
        return (blocked, new BlockDecision(until, duration, reason, earlier + 1));
    }

    /// <summary>BaseBlock * 2^earlierOffences, capped at MaxBlock (no overflow for large counts).</summary>
    public static TimeSpan BlockDuration(int earlierOffences, ReputationOptions options)
    {
        var duration = options.BaseBlock;
        for (var i = 0; i < earlierOffences && duration < options.MaxBlock; i++)
            duration += duration;
        return duration > options.MaxBlock ? options.MaxBlock : duration;
    }
}
