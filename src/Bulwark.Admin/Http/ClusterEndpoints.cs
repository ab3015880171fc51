using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Bulwark.Contracts.Sharding;

namespace Bulwark.Admin.Http;

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
        var (table, errors) = await ShardStatsAsync(TimeSpan.FromSeconds(5));
        var result = new Dictionary<string, object>();
        foreach (var (type, rows) in table)
            result[type] = rows.ToDictionary(r => r.Node, r => new { shards = r.Shards, entities = r.Entities });
        foreach (var (type, error) in errors) result[type] = new { error };
        return result;
    }

    /// <summary>Shards and entities per node for each entity type, farm-wide, and the types
    /// whose coordinator did not answer.</summary>
    public async Task<(Dictionary<string, IReadOnlyList<ShardRow>> Table, Dictionary<string, string> Errors)> ShardStatsAsync(TimeSpan timeout)
    {
        var table = new Dictionary<string, IReadOnlyList<ShardRow>>();
        var errors = new Dictionary<string, string>();
        var asks = EntityTypes.ToDictionary(type => type, type => AskStats(type, timeout));
        foreach (var (type, ask) in asks)
        {
            try
            {
                var stats = await ask;
                table[type] = stats.Regions.OrderBy(r => r.Key.ToString())
                    .Select(r => new ShardRow(r.Key.ToString(), r.Value.Stats.Count, r.Value.Stats.Values.Sum())).ToList();
            }
            catch (Exception e) when (e is AskTimeoutException or ArgumentException or InvalidOperationException)
            {
                errors[type] = e.Message;
            }
        }
        return (table, errors);
    }

    private Task<ClusterShardingStats> AskStats(string type, TimeSpan timeout) =>
        RegionOrProxy(type).Ask<ClusterShardingStats>(new GetClusterShardingStats(timeout), timeout + TimeSpan.FromSeconds(1));

    /// <summary>A listener-only node runs proxies, not regions; either asks the coordinator.</summary>
    private IActorRef RegionOrProxy(string type)
    {
        var sharding = ClusterSharding.Get(system);
        try
        {
            return sharding.ShardRegion(type);
        }
        catch (ArgumentException)
        {
            return sharding.ShardRegionProxy(type);
        }
    }
}

public sealed record ShardRow(string Node, int Shards, int Entities);
