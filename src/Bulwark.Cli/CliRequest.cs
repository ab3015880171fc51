namespace Bulwark.Cli;

/// <summary>How a command's answer is shown by default (--json always prints the JSON itself):
/// a table for a listing, label/value lines for one object, a sentence for an action's result.
/// Each view reads the fields the admin API answers for that endpoint.</summary>
public enum CliView
{
    /// <summary>GET /admin/blocks: [{ip, until, reason}].</summary>
    Blocks,
    /// <summary>GET /admin/cluster: {self, leader, members: [{address, roles, status, reachable, appVersion}]}.</summary>
    Cluster,
    /// <summary>GET /admin/shards: {entityType: {node: {shards, entities}} or {error}}.</summary>
    Shards,
    /// <summary>GET /admin/queue: {total, entries: [{queueId, state, receivedAt, attempts, nextAttemptAt, sender, lastError, ...}]}.</summary>
    Queue,
    /// <summary>GET /admin/queue/dead: {total, entries: [{queueId, deadAt, sender, reason, ...}]}.</summary>
    DeadLetters,
    /// <summary>GET /admin/quarantine: [{id, receivedAt, sender, reason, ...}].</summary>
    Quarantine,
    /// <summary>ip-status, block, unblock: {ipKey, recentStrikes, offences, blockedUntil, blockReason, openConnections}.</summary>
    IpStatus,
    /// <summary>GET /admin/queue/stats: {depth, inFlight, oldestReceivedAt, oldestAgeSeconds, deadLetters}.</summary>
    QueueStats,
    /// <summary>POST /admin/queue/flush: {count}.</summary>
    Flushed,
    /// <summary>queue retry and queue requeue: {queueId, found, message, ...}.</summary>
    QueueAction,
    /// <summary>GET /admin/quarantine/{id}: {entry: {...}, message}.</summary>
    QuarantineEntry,
    /// <summary>POST /admin/quarantine/{id}/release: {released, queueId}.</summary>
    Released,
    /// <summary>DELETE /admin/quarantine/{id}: {deleted}.</summary>
    Deleted,
}

/// <summary>One call of the admin API: Path is relative to the node's admin URL and already
/// escaped; View says how its answer is printed.</summary>
public sealed record CliRequest(HttpMethod Method, string Path, CliView View);
