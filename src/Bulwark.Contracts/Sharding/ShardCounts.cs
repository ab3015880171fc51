namespace Bulwark.Contracts.Sharding;

/// <summary>
/// Fixed shard counts. A shard is the unit of rebalancing, so there must be several per node
/// for an even spread: 100 is about ten times the largest farm we expect (~10 policy nodes).
/// The count is part of the entity-to-shard hash: changing it on a running farm moves every
/// entity to a different shard, so it is never changed once deployed.
/// </summary>
public static class ShardCounts
{
    public const int IpReputation = 100;
    public const int RecipientDirectory = 100;
    public const int DnsPolicy = 100;
}
