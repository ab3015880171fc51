using Akka.Actor;
using Akka.Cluster.Sharding;
using Bulwark.Entities.IpReputation;
using Bulwark.Policy.Reputation;
using Bulwark.Contracts.IpReputation;
using Bulwark.Contracts.RecipientDirectory;
using Bulwark.Contracts.Sharding;

namespace Bulwark.Actors.Tests.Entities;

public sealed class ShardingTests : ClusterJournalTestKit
{
    [Fact]
    public void The_extractors_route_by_ip_key_and_domain_into_a_fixed_number_of_shards()
    {
        var ip = EntityMessageExtractors.IpReputation();
        var dir = EntityMessageExtractors.RecipientDirectory();
        var message = new GetIpStatus("2001:db8:1:2::/64");

        var shards = Enumerable.Range(0, 1000).Select(i => ip.ShardId($"10.0.{i / 256}.{i % 256}", null)).Distinct().ToList();

        Assert.Equal("2001:db8:1:2::/64", ip.EntityId(message));
        Assert.Equal(ip.ShardId("2001:db8:1:2::/64", null), ip.ShardId("2001:db8:1:2::/64", message));
        Assert.Equal("example.org", dir.EntityId(new VerifyRecipient("example.org", "bob")));
        Assert.Null(ip.EntityId("something else"));
        Assert.Equal(ShardCounts.IpReputation, shards.Count);
        Assert.All(shards, s => Assert.InRange(int.Parse(s), 0, ShardCounts.IpReputation - 1));
    }

    [Fact]
    public async Task An_ipv6_slash_64_entity_behind_a_shard_region_keeps_its_key()
    {
        var region = await ClusterSharding.Get(Sys).StartAsync(
            ShardNames.IpReputation,
            IpReputationActor.Props(new ReputationOptions()),
            ClusterShardingSettings.Create(Sys),
            EntityMessageExtractors.IpReputation());

        region.Tell(new BlockIp("2001:db8:1:2::/64", TimeSpan.FromMinutes(5), "test"));
        var status = ExpectMsg<IpStatus>(TimeSpan.FromSeconds(10));

        Assert.Equal("2001:db8:1:2::/64", status.IpKey);
        Assert.Equal("test", status.BlockReason);
    }
}
