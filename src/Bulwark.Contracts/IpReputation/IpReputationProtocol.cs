using Bulwark.Policy.Verdicts;

namespace Bulwark.Contracts.IpReputation;

/// <summary>Every message for the IpReputation entity carries the key of its client IP
/// (see <see cref="Bulwark.Policy.Reputation.IpKey"/>: IPv4 as is, IPv6 by /64).</summary>
public interface IIpReputationMessage
{
    string IpKey { get; }
}

/// <summary>A refusal that counts against the IP (tell; no reply).</summary>
public sealed record ReportEvidence(string IpKey, Evidence Evidence, DateTimeOffset At) : IIpReputationMessage;

/// <summary>A listener opened a connection from this IP; reply <see cref="ConnectionAdmission"/>.
/// ConnectionId is unique per connection across the farm.</summary>
public sealed record OpenConnection(string IpKey, string ConnectionId, DateTimeOffset At) : IIpReputationMessage;

/// <summary>Blocked tells a refusal for a block in force from one for too many connections.</summary>
public sealed record ConnectionAdmission(string IpKey, bool Admitted, int OpenConnections, bool Blocked = false);

/// <summary>The connection ended (tell; no reply).</summary>
public sealed record CloseConnection(string IpKey, string ConnectionId) : IIpReputationMessage;

/// <summary>Operator block; reply <see cref="IpStatus"/>.</summary>
public sealed record BlockIp(string IpKey, TimeSpan Duration, string Reason) : IIpReputationMessage;

/// <summary>Operator unblock; reply <see cref="IpStatus"/>.</summary>
public sealed record UnblockIp(string IpKey, string Reason) : IIpReputationMessage;

/// <summary>Reply <see cref="IpStatus"/>.</summary>
public sealed record GetIpStatus(string IpKey) : IIpReputationMessage;

public sealed record IpStatus(string IpKey, int RecentStrikes, int Offences, DateTimeOffset? BlockedUntil, string? BlockReason, int OpenConnections);
