using Akka.Cluster.Sharding;
using Bulwark.Contracts.DnsPolicy;

namespace Bulwark.Contracts.Sharding;

/// <summary>(The base class already unwraps ShardingEnvelope and StartEntity.) Routes <see cref="IDnsPolicyMessage"/>s
/// to the entity of their key: the sender domain, or "iprev:" + client IP.</summary>
public sealed class DnsPolicyMessageExtractor : HashCodeMessageExtractor
{
    public DnsPolicyMessageExtractor() : base(ShardCounts.DnsPolicy)
    {
    }

    public override string? EntityId(object message) => message switch
    {
        IDnsPolicyMessage m => m.Key,
        _ => null,
    };
}
