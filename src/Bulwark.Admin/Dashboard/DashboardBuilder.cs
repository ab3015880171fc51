using Akka.Actor;
using Akka.Cluster;
using Bulwark.Admin.Http;
using Bulwark.NodeCaches;

namespace Bulwark.Admin.Dashboard;

/// <summary>
/// Builds what the dashboard page shows, farm-wide, from any node: cluster state from this
/// node's membership view, shard statistics from the shard regions, and each member's own
/// stats asked of its node-stats actor. A member that does not answer is shown with an error;
/// it never stops the page.
/// </summary>
public sealed class DashboardBuilder(ActorSystem system, BlockList blocks, ClusterEndpoints cluster)
{
    /// <summary>Points on the verdict chart: 30 buckets of 10 s, five minutes.</summary>
    public const int ChartBuckets = 30;
    private const int MaxSessionsPerNode = 50;
    private static readonly TimeSpan MemberTimeout = TimeSpan.FromSeconds(2);

    public async Task<object> BuildAsync()
    {
        var self = Cluster.Get(system);
        var state = self.State;
        var members = state.Members.Where(m => m.Status != MemberStatus.Removed).OrderBy(m => m.Address.ToString()).ToList();
        var reportTasks = members.ToDictionary(m => m.Address, m => AskReport(m.Address));
        var shards = cluster.ShardStatsAsync(MemberTimeout);
        await Task.WhenAll(reportTasks.Values);
        var reports = reportTasks.ToDictionary(r => r.Key, r => r.Value.Result);
        var (shardTable, shardErrors) = await shards;

        var now = DateTimeOffset.UtcNow;
        var answered = reports.Values.OfType<NodeStatsReport>().ToList();
        return new
        {
            generatedAt = now,
            self = self.SelfAddress.ToString(),
            leader = state.Leader?.ToString(),
            members = members.Select(m => new
            {
                address = m.Address.ToString(),
                roles = m.Roles.OrderBy(r => r).ToArray(),
                status = m.Status.ToString(),
                reachable = !state.Unreachable.Contains(m),
                upSince = (reports[m.Address] as NodeStatsReport)?.UpSince,
                appVersion = m.AppVersion.ToString(),
                self = m.Address == self.SelfAddress,
                leader = m.Address == state.Leader,
            }),
            shards = shardTable,
            shardErrors,
            nodes = members.Select(m => NodeView(m.Address, reports[m.Address])),
            verdicts = VerdictChart.Combine(answered.SelectMany(r => r.Verdicts), answered.SelectMany(r => r.VerdictTotals),
                NodeStatsActor.BucketSeconds, ChartBuckets, now),
            blocks = blocks.Snapshot().Values.Where(b => b.Until > now).OrderBy(b => b.IpKey)
                .Select(b => new { ip = b.IpKey, until = b.Until, reason = b.Reason }),
        };
    }

    private async Task<object> AskReport(Address address)
    {
        try
        {
            return await system.ActorSelection(new RootActorPath(address) / "user" / GetNodeStats.ActorName)
                .Ask<NodeStatsReport>(new GetNodeStats(MaxSessionsPerNode), MemberTimeout);
        }
        catch (Exception e)
        {
            return e is AskTimeoutException ? "did not answer within 2 s" : e.Message;
        }
    }

    private static object NodeView(Address address, object report) => report is NodeStatsReport r
        ? new
        {
            address = address.ToString(),
            hostname = r.Hostname,
            version = r.Version,
            startedAt = r.StartedAt,
            error = (string?)null,
            sessions = r.Sessions,
            sessionCount = r.SessionCount,
            connections = r.Connections,
            spool = r.Spool,
            dnsCache = r.DnsCache,
            scanners = r.Scanners,
            quarantine = r.Quarantine,
            authentication = r.Authentication,
        }
        : new { address = address.ToString(), error = (string?)report.ToString() };
}
