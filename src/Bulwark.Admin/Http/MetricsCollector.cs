using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Bulwark.Delivery;
using Bulwark.Admin.Dashboard;
using Bulwark.Admin;
using Bulwark.Telemetry;
using Bulwark.Contracts.Sharding;
using Bulwark.NodeCaches;

namespace Bulwark.Admin.Http;

/// <summary>Refreshes the gauges whose values live elsewhere (actors, caches, folders) just
/// before each scrape, so a scrape costs nothing between scrapes.</summary>
public sealed class MetricsCollector(
    ActorSystem system,
    NodeStatsSources sources,
    BlockList blocks,
    IRequiredActor<DeliveryActorKey> delivery)
{
    private static readonly string[] EntityTypes = [ShardNames.IpReputation, ShardNames.RecipientDirectory, ShardNames.DnsPolicy];
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(2);
    private int _registered;

    public void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        BulwarkMetrics.BuildInfo.Labels(NodeStatsSources.Version).Set(1);
        var catalog = BulwarkMetrics.Catalog;
        catalog.BeforeScrape(_ => { Local(); return Task.CompletedTask; });
        catalog.BeforeScrape(_ => { Cluster(); return Task.CompletedTask; });
        catalog.BeforeScrape(SpoolAsync);
        catalog.BeforeScrape(ShardsAsync);
    }

    private void Local()
    {
        BulwarkMetrics.SessionsActive.Set(sources.Sessions.Count);
        BulwarkMetrics.BlockedIps.Set(blocks.Count);
        var dns = sources.DnsCache();
        BulwarkMetrics.DnsCacheHits.Set(dns.Hits);
        BulwarkMetrics.DnsCacheMisses.Set(dns.Misses);
        BulwarkMetrics.DnsCacheEntries.Set(dns.Entries);
        foreach (var scanner in sources.Scanners())
            BulwarkMetrics.ScannerBreakerOpen.Labels(scanner.Name).Set(scanner.State is "open" or "half-open" ? 1 : 0);
        var quarantine = sources.Quarantine();
        BulwarkMetrics.QuarantineMessages.Set(quarantine.Messages);
        BulwarkMetrics.QuarantineBytes.Set(quarantine.Bytes);
    }

    private void Cluster()
    {
        var state = Akka.Cluster.Cluster.Get(system).State;
        foreach (var status in Enum.GetValues<MemberStatus>())
            BulwarkMetrics.ClusterMembers.Labels(status.ToString().ToLowerInvariant())
                .Set(state.Members.Count(m => m.Status == status));
        BulwarkMetrics.ClusterUnreachable.Set(state.Unreachable.Count);
    }

    private async Task SpoolAsync(CancellationToken cancellationToken)
    {
        var stats = await (await delivery.GetAsync(cancellationToken)).Ask<SpoolStats>(GetSpoolStats.Instance, AskTimeout, cancellationToken);
        BulwarkMetrics.SpoolMessages.Set(stats.Depth);
        BulwarkMetrics.SpoolOldestAge.Set(stats.OldestAgeSeconds);
        BulwarkMetrics.SpoolDeadLetters.Set(stats.DeadLetters);
    }

    private async Task ShardsAsync(CancellationToken cancellationToken)
    {
        foreach (var type in EntityTypes)
        {
            int shards = 0, entities = 0;
            try
            {
                var stats = await ClusterSharding.Get(system).ShardRegion(type)
                    .Ask<ShardRegionStats>(GetShardRegionStats.Instance, AskTimeout, cancellationToken);
                shards = stats.Stats.Count;
                entities = stats.Stats.Values.Sum();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // A listener-only node hosts a proxy: no shards of its own.
            }
            BulwarkMetrics.ShardsHosted.Labels(type).Set(shards);
            BulwarkMetrics.EntitiesHosted.Labels(type).Set(entities);
        }
    }
}
