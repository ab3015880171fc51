using Akka.Cluster.Sharding;
using Bulwark.Contracts.DnsPolicy;
using Bulwark.Contracts.IpReputation;
using Bulwark.Contracts.RecipientDirectory;

namespace Bulwark.Contracts.Sharding;

/// <summary>
/// Routes one entity type's messages (every message of its protocol implements
/// <typeparamref name="TMessage"/>) to the entity their key names, over a fixed number of shards.
/// The base class unwraps ShardingEnvelope and StartEntity; anything else is not routable (null).
/// </summary>
public sealed class EntityMessageExtractor<TMessage>(int shards, Func<TMessage, string> entityId)
    : HashCodeMessageExtractor(shards) where TMessage : class
{
    public override string? EntityId(object message) => message is TMessage m ? entityId(m) : null;
}

/// <summary>The extractor of each entity type; every node must route alike, so these are the only ones.</summary>
public static class EntityMessageExtractors
{
    /// <summary>By IP key (IPv4 address, IPv6 /64).</summary>
    public static EntityMessageExtractor<IIpReputationMessage> IpReputation() => new(ShardCounts.IpReputation, m => m.IpKey);

    /// <summary>By recipient domain.</summary>
    public static EntityMessageExtractor<IRecipientDirectoryMessage> RecipientDirectory() => new(ShardCounts.RecipientDirectory, m => m.Domain);

    /// <summary>By sender domain, or "iprev:" + client IP.</summary>
    public static EntityMessageExtractor<IDnsPolicyMessage> DnsPolicy() => new(ShardCounts.DnsPolicy, m => m.Key);
}
