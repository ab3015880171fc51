using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Bulwark.Entities.Sharding;

namespace Bulwark.Node.Admin;

/// <summary>
/// The cluster over the admin API:
///   GET /admin/cluster   this node, the leader, every member with roles, status and reachability
///   GET /admin/shards    shards and entities per node for each entity type (farm-wide stats)
/// </summary>
public sealed class ClusterEndpoints(ActorSystem system)
{
    private static readonly string[] EntityTypes = [ShardNames.IpReputation, ShardNames.RecipientDirectory, ShardNames.DnsPolicy];

    public async Task<(int Status, object Body)> RouteAsync(string method, string[] rest)
    {
        switch (method, rest)
        {
            case ("GET", ["cluster"]):
                return (200, Members());
            case ("GET", ["shards"]):
                return (200, await ShardStats());
            default:
                return (404, new { error = "no such endpoint" });
        }
    }

    private object Members()
    {
        var cluster = Cluster.Get(system);
        var state = cluster.State;
        return new
        {
            self = cluster.SelfAddress.ToString(),
            leader = state.Leader?.ToString(),
            members = state.Members.OrderBy(m => m.Address.ToString()).Select(m => new
            {
                address = m.Address.ToString(),
                roles = m.Roles.OrderBy(r => r).ToArray(),
                status = m.Status.ToString(),
                reachable = !state.Unreachable.Contains(m),
                appVersion = m.AppVersion.ToString(),
            }),
        };
    }

    private async Task<object> ShardStats()
    {
        var result = new Dictionary<string, object>();
        foreach (var type in EntityTypes)
        {
            try
            {
                var region = ClusterSharding.Get(system).ShardRegion(type);
                var stats = await region.Ask<ClusterShardingStats>(new GetClusterShardingStats(TimeSpan.FromSeconds(5)), TimeSpan.FromSeconds(10));
                result[type] = stats.Regions.ToDictionary(
                    r => r.Key.ToString(),
                    r => new { shards = r.Value.Stats.Count, entities = r.Value.Stats.Values.Sum() });
            }
            catch (Exception e) when (e is AskTimeoutException or ArgumentException or InvalidOperationException)
            {
                result[type] = new { error = e.Message };
            }
        }
        return result;
    }
}
