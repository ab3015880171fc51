using System.Text.Json.Serialization;
using Bulwark.Contracts.Serialization;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Contracts.IpReputation;

/// <summary>Every message for the IpReputation entity carries the key of its client IP
/// (see <see cref="Bulwark.Policy.Reputation.IpKey"/>: IPv4 as is, IPv6 by /64).</summary>
public interface IIpReputationMessage : IWireContract
{
    string IpKey { get; }
}

/// <summary>A refusal that counts against the IP (tell; no reply).</summary>
public sealed record ReportEvidence(
    [property: JsonPropertyName("ipKey")] string IpKey,
    [property: JsonPropertyName("evidence")] Evidence Evidence,
    [property: JsonPropertyName("at")] DateTimeOffset At) : IIpReputationMessage;

/// <summary>A listener opened a connection from this IP; reply <see cref="ConnectionAdmission"/>.
/// ConnectionId is unique per connection across the farm.</summary>
public sealed record OpenConnection(
    [property: JsonPropertyName("ipKey")] string IpKey,
    [property: JsonPropertyName("connectionId")] string ConnectionId,
    [property: JsonPropertyName("at")] DateTimeOffset At) : IIpReputationMessage;

/// <summary>Blocked tells a refusal for a block in force from one for too many connections.</summary>
public sealed record ConnectionAdmission(
    [property: JsonPropertyName("ipKey")] string IpKey,
    [property: JsonPropertyName("admitted")] bool Admitted,
    [property: JsonPropertyName("openConnections")] int OpenConnections,
    [property: JsonPropertyName("blocked")] bool Blocked = false) : IWireContract;

/// <summary>The connection ended (tell; no reply).</summary>
public sealed record CloseConnection(
    [property: JsonPropertyName("ipKey")] string IpKey,
    [property: JsonPropertyName("connectionId")] string ConnectionId) : IIpReputationMessage;

/// <summary>Operator block; reply <see cref="IpStatus"/>.</summary>
public sealed record BlockIp(
    [property: JsonPropertyName("ipKey")] string IpKey,
    [property: JsonPropertyName("duration")] TimeSpan Duration,
    [property: JsonPropertyName("reason")] string Reason) : IIpReputationMessage;

/// <summary>Operator unblock; reply <see cref="IpStatus"/>.</summary>
public sealed record UnblockIp(
    [property: JsonPropertyName("ipKey")] string IpKey,
    [property: JsonPropertyName("reason")] string Reason) : IIpReputationMessage;

/// <summary>Reply <see cref="IpStatus"/>.</summary>
public sealed record GetIpStatus([property: JsonPropertyName("ipKey")] string IpKey) : IIpReputationMessage;

/// <remarks>The JSON names are also the admin API's (camelCase of the C# names).</remarks>
public sealed record IpStatus(
    [property: JsonPropertyName("ipKey")] string IpKey,
    [property: JsonPropertyName("recentStrikes")] int RecentStrikes,
    [property: JsonPropertyName("offences")] int Offences,
    [property: JsonPropertyName("blockedUntil")] DateTimeOffset? BlockedUntil,
    [property: JsonPropertyName("blockReason")] string? BlockReason,
    [property: JsonPropertyName("openConnections")] int OpenConnections) : IWireContract;

/// <summary>What the entity would write to its snapshot now; reply <see cref="IpReputationSnapshot"/>.
/// For operators and tests: unlike <see cref="IpStatus"/> it shows the raw offence chain and
/// whether the block in force is an operator's.</summary>
public sealed record GetIpReputationSnapshot([property: JsonPropertyName("ipKey")] string IpKey) : IIpReputationMessage;
