using System.Collections.Immutable;
using Bulwark.Contracts.IpReputation;
using Bulwark.Policy.Reputation;

namespace Bulwark.Entities.IpReputation;

/// <summary>Between the entity's state and its stored snapshot.</summary>
public static class ReputationSnapshots
{
    public static IpReputationSnapshot From(string ipKey, ReputationState state, bool blockedByOperator) =>
        new(ipKey, state.BlockedUntil, state.BlockReason, state.BlockedUntil is not null && blockedByOperator,
            state.Offences, state.LastOffenceAt);

    /// <summary>Strikes are memory-only: a recovered entity starts without any.</summary>
    public static ReputationState ToState(IpReputationSnapshot snapshot) =>
        new(ImmutableArray<DateTimeOffset>.Empty, snapshot.Offences, snapshot.LastOffenceAt,
            snapshot.BlockedUntil, snapshot.BlockReason);
}
