using Akka.Actor;
using Akka.Cluster;
using Bulwark.Delivery;

namespace Bulwark.Admin.Dashboard;

/// <summary>
/// This node's stats for the dashboards of the whole farm: any node's dashboard asks every
/// member's node-stats actor, so one page shows every node. Also keeps the verdict history,
/// advancing it every second from the verdict counters.
/// </summary>
public sealed class NodeStatsActor : ReceiveActor, IWithTimers
{
    public const int BucketSeconds = 10;
    public const int Buckets = 60;

    private readonly NodeStatsSources _sources;
    private readonly VerdictHistory _history = new(BucketSeconds, Buckets);

    public NodeStatsActor(NodeStatsSources sources)
    {
        _sources = sources;
        Receive<Tick>(_ => _history.Advance(DateTimeOffset.UtcNow, NodeStatsSources.VerdictTotals()));
        ReceiveAsync<GetNodeStats>(ReportAsync);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(NodeStatsSources sources) => Akka.Actor.Props.Create(() => new NodeStatsActor(sources));

    protected override void PreStart() => Timers.StartPeriodicTimer("tick", Tick.Instance, TimeSpan.FromSeconds(1));

    private async Task ReportAsync(GetNodeStats request)
    {
        var sender = Sender;
        var totals = NodeStatsSources.VerdictTotals();
        // A verdict the operator just caused shows at once, not at the next tick.
        _history.Advance(DateTimeOffset.UtcNow, totals);
        var spool = await SpoolAsync();
        sender.Tell(new NodeStatsReport(
            Cluster.Get(Context.System).SelfAddress.ToString(),
            _sources.Hostname,
            NodeStatsSources.Version,
            _sources.StartedAt,
            _sources.UpSince,
            _sources.Sessions.Snapshot(request.MaxSessions),
            _sources.Sessions.Count,
            NodeStatsSources.Connections(),
            spool,
            _sources.DnsCache(),
            _sources.Scanners(),
            _sources.Quarantine(),
            _history.Buckets(),
            totals,
            NodeStatsSources.Authentication()));
    }

    private async Task<SpoolView> SpoolAsync()
    {
        if (_sources.Delivery is not { } delivery) return new SpoolView(0, 0, 0, 0);
        try
        {
            var stats = await delivery.Ask<SpoolStats>(GetSpoolStats.Instance, TimeSpan.FromSeconds(2));
            return new SpoolView(stats.Depth, stats.InFlight, stats.OldestAgeSeconds, stats.DeadLetters);
        }
        catch (AskTimeoutException)
        {
            return new SpoolView(-1, -1, -1, -1);
        }
    }

    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }
}
