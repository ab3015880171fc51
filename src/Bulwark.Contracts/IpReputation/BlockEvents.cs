using System.Text.Json.Serialization;
using Bulwark.Contracts.Serialization;

namespace Bulwark.Contracts.IpReputation;

/// <summary>
/// What every listener's block cache hears about (distributed pub-sub topic
/// <see cref="BlockTopic.Name"/>), and what the IpReputation entity persists, tagged
/// <see cref="BlockTopic.PersistenceTag"/>, so that a (re)starting listener can rebuild
/// the full current set from the journal.
/// </summary>
/// <remarks>The JSON names are the journal's format (manifests "ip-blocked", "ip-unblocked"):
/// never change one, add a property instead.</remarks>
public interface IBlockEvent : IWireContract
{
    string IpKey { get; }
}

public sealed record IpBlocked(
    [property: JsonPropertyName("ipKey")] string IpKey,
    [property: JsonPropertyName("until")] DateTimeOffset Until,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("offences")] int Offences) : IBlockEvent
{
    /// <summary>When the block was decided; recovery restores the offence chain from it
    /// (null in events written before it existed: Until stands in).</summary>
    [JsonPropertyName("at")]
    public DateTimeOffset? At { get; init; }

    /// <summary>An operator block is not an offence: it does not lengthen later blocks.</summary>
    [JsonPropertyName("byOperator")]
    public bool ByOperator { get; init; }
}

public sealed record IpUnblocked(
    [property: JsonPropertyName("ipKey")] string IpKey,
    [property: JsonPropertyName("reason")] string Reason) : IBlockEvent;

public static class BlockTopic
{
    public const string Name = "bulwark.blocks";
    public const string PersistenceTag = "ip-block";
}
