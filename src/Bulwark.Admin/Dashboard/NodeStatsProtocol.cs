using Bulwark.Listener.Observability;

namespace Bulwark.Admin.Dashboard;

/// <summary>Asked of every member's node-stats actor by the dashboard of any node.</summary>
public sealed record GetNodeStats(int MaxSessions)
{
    public const string ActorName = "node-stats";
}

/// <summary>One node's own view of itself. Plain data: it crosses the network between nodes.</summary>
public sealed record NodeStatsReport(
    string Address,
    string Hostname,
    string Version,
    DateTimeOffset StartedAt,
    DateTimeOffset? UpSince,
    IReadOnlyList<SessionView> Sessions,
    int SessionCount,
    ConnectionCounts Connections,
    SpoolView Spool,
    DnsCacheView DnsCache,
    IReadOnlyList<ScannerView> Scanners,
    QuarantineView Quarantine,
    IReadOnlyList<VerdictBucket> Verdicts,
    IReadOnlyList<VerdictCount> VerdictTotals,
    AuthenticationView? Authentication = null);

public sealed record ConnectionCounts(long Accepted, long RefusedBlocked, long RefusedBusy, long Deferred);

public sealed record SpoolView(int Depth, int InFlight, double OldestAgeSeconds, int DeadLetters);

public sealed record DnsCacheView(long Hits, long Misses, double HitRatio, int Entries);

/// <summary>State is closed (healthy), open, half-open or not-configured.</summary>
public sealed record ScannerView(string Name, bool Configured, string State, long Failures, string? LastError);

public sealed record QuarantineView(int Messages, long Bytes);

/// <summary>End-of-DATA authentication since the node started: DKIM per signature, DMARC and
/// ARC per message, and what DMARC failures led to.</summary>
public sealed record AuthenticationView(
    long DkimPass, long DkimFail, long DmarcPass, long DmarcFail, long DmarcNone,
    long DmarcRejected, long DmarcQuarantined, long DmarcDeferred, long DmarcArcOverride, long ArcPass, long ArcFail);

public sealed record VerdictCount(string Phase, string Code, string Enhanced, long Count);

/// <summary>Verdicts counted in the bucket that starts at StartUnixSeconds (aligned to the
/// bucket width, so buckets of different nodes add up).</summary>
public sealed record VerdictBucket(long StartUnixSeconds, IReadOnlyList<VerdictCount> Counts);
