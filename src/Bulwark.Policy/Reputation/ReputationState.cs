using System.Collections.Immutable;

namespace Bulwark.Policy.Reputation;

/// <summary>
/// What one IP key's entity knows. Strikes live only in memory; the block and the offence
/// count are rebuilt from persisted block events.
/// </summary>
/// <param name="Strikes">Times of recent strikes, oldest first, at most StrikeThreshold of them.</param>
/// <param name="Offences">Blocks decided from evidence in the current chain (see
/// <see cref="ReputationOptions.OffenceMemory"/>).</param>
/// <param name="LastOffenceAt">When the latest of those blocks was decided.</param>
public sealed record ReputationState(
    ImmutableArray<DateTimeOffset> Strikes,
    int Offences,
    DateTimeOffset? LastOffenceAt,
    DateTimeOffset? BlockedUntil,
    string? BlockReason)
{
    public static readonly ReputationState Empty = new(ImmutableArray<DateTimeOffset>.Empty, 0, null, null, null);

    public bool IsBlocked(DateTimeOffset now) => BlockedUntil is { } until && until > now;

    public int RecentStrikes(DateTimeOffset now, ReputationOptions options) =>
        Strikes.Count(t => t > now - options.StrikeWindow);

    /// <summary>Offences that still count: the chain is forgotten once the last offence is
    /// older than OffenceMemory.</summary>
    public int OffencesAt(DateTimeOffset now, ReputationOptions options) =>
        LastOffenceAt is { } last && now - last <= options.OffenceMemory ? Offences : 0;

    /// <summary>Nothing here that recovery would not rebuild: the entity may stop.</summary>
    public bool IsIdle(DateTimeOffset now, ReputationOptions options) =>
        !IsBlocked(now) && RecentStrikes(now, options) == 0;

    /// <summary>A block is in force (operator block, or replayed from the journal).</summary>
    public ReputationState WithBlock(DateTimeOffset until, string reason) =>
        this with { BlockedUntil = until, BlockReason = reason, Strikes = ImmutableArray<DateTimeOffset>.Empty };

    /// <summary>Replay of a block decided from evidence: restores the offence chain.</summary>
    public ReputationState WithOffence(int offences, DateTimeOffset at) =>
        this with { Offences = offences, LastOffenceAt = at };

    public ReputationState WithoutBlock() =>
        this with { BlockedUntil = null, BlockReason = null, Strikes = ImmutableArray<DateTimeOffset>.Empty };
}
