using Akka.Cluster.Sharding;
using Bulwark.Contracts.RecipientDirectory;

namespace Bulwark.Contracts.Sharding;

/// <summary>(The base class already unwraps ShardingEnvelope and StartEntity.) Routes <see cref="IRecipientDirectoryMessage"/>s to the entity of their domain.</summary>
public sealed class RecipientDirectoryMessageExtractor : HashCodeMessageExtractor
{
    public RecipientDirectoryMessageExtractor() : base(ShardCounts.RecipientDirectory)
    {
    }

    public override string? EntityId(object message) => message switch
    {
        IRecipientDirectoryMessage m => m.Domain,
        _ => null,
    };
}
