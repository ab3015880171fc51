namespace Bulwark.Contracts.IpReputation;

/// <summary>
/// What every listener's block cache hears about (distributed pub-sub topic
/// <see cref="BlockTopic.Name"/>), and what the IpReputation entity persists, tagged
/// <see cref="BlockTopic.PersistenceTag"/>, so that a (re)starting listener can rebuild
/// the full current set from the journal.
/// </summary>
public interface IBlockEvent
{
    string IpKey { get; }
}

public sealed record IpBlocked(string IpKey, DateTimeOffset Until, string Reason, int Offences) : IBlockEvent
{
    /// <summary>When the block was decided; recovery restores the offence chain from it
    /// (null in events written before it existed: Until stands in).</summary>
    public DateTimeOffset? At { get; init; }

    /// <summary>An operator block is not an offence: it does not lengthen later blocks.</summary>
    public bool ByOperator { get; init; }
}

public sealed record IpUnblocked(string IpKey, string Reason) : IBlockEvent;

public static class BlockTopic
{
    public const string Name = "bulwark.blocks";
    public const string PersistenceTag = "ip-block";
}
