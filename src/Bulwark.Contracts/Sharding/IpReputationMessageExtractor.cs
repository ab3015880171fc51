using Akka.Cluster.Sharding;
using Bulwark.Contracts.IpReputation;

namespace Bulwark.Contracts.Sharding;

/// <summary>(The base class already unwraps ShardingEnvelope and StartEntity.) Routes <see cref="IIpReputationMessage"/>s to the entity of their IP key.</summary>
public sealed class IpReputationMessageExtractor : HashCodeMessageExtractor
{
    public IpReputationMessageExtractor() : base(ShardCounts.IpReputation)
    {
    }

    public override string? EntityId(object message) => message switch
    {
        IIpReputationMessage m => m.IpKey,
        _ => null,
    };
}
