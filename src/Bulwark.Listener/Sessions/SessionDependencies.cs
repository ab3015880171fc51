using System.Net;
using Akka.Actor;
using Bulwark.Delivery.Spool;
using Bulwark.Policy.Sessions;

namespace Bulwark.Listener.Sessions;

/// <summary>Listener settings every session reads.</summary>
public sealed record ListenerSettings(
    string Hostname,
    SessionLimits Limits,
    IReadOnlySet<string> AcceptedDomains,
    string PrimaryDomain,
    TimeSpan AskTimeout,
    bool ReputationEnabled);

/// <summary>What a session actor talks to: the sharded entities (through their regions or
/// proxies), the node's delivery actor and spool.</summary>
public sealed record SessionDependencies(
    IActorRef RecipientDirectory,
    IActorRef IpReputation,
    IActorRef Delivery,
    ISpool Spool,
    ListenerSettings Settings);

/// <summary>The client end of one connection.</summary>
public sealed record ConnectionInfo(string ConnectionId, IPAddress ClientIp, string IpKey);
