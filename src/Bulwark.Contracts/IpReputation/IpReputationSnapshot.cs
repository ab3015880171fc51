using System.Text.Json.Serialization;
using Bulwark.Contracts.Serialization;

namespace Bulwark.Contracts.IpReputation;

/// <summary>
/// The IpReputation entity's snapshot (manifest "ip-snapshot"): all that recovery rebuilds
/// from its block events, so that the events before it can be deleted. Strikes and open
/// connections are memory-only and not in it.
/// </summary>
/// <param name="IpKey">The entity's key.</param>
/// <param name="BlockedUntil">The end of the latest block (possibly already over); null when
/// none, or when it was lifted.</param>
/// <param name="BlockReason">That block's reason.</param>
/// <param name="BlockedByOperator">That block was an operator's, not an offence.</param>
/// <param name="Offences">Blocks decided from evidence in the current chain, counted whether
/// or not the chain is still remembered (the entity applies the offence memory).</param>
/// <param name="LastOffenceAt">When the latest of those blocks was decided.</param>
public sealed record IpReputationSnapshot(
    [property: JsonPropertyName("ipKey")] string IpKey,
    [property: JsonPropertyName("blockedUntil")] DateTimeOffset? BlockedUntil,
    [property: JsonPropertyName("blockReason")] string? BlockReason,
    [property: JsonPropertyName("blockedByOperator")] bool BlockedByOperator,
    [property: JsonPropertyName("offences")] int Offences,
    [property: JsonPropertyName("lastOffenceAt")] DateTimeOffset? LastOffenceAt) : IWireContract;
