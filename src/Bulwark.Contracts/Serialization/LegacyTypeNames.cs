using Bulwark.Contracts.IpReputation;

namespace Bulwark.Contracts.Serialization;

/// <summary>
/// The CLR type names that journals written before <see cref="BulwarkSerializer"/> existed
/// hold in their Newtonsoft rows (serializer identifier 1, empty manifest, a "$type" field),
/// and today's type for each. Those rows are read, never written again: an entity's snapshot
/// and deletions retire them over time, so the list only grows when a release is found to
/// have written another name.
/// </summary>
/// <remarks>Newtonsoft fills the mapped type by its C# property names (IpKey, Until, Reason,
/// Offences, At, ByOperator), not by the JsonPropertyName attributes: those C# names must
/// keep matching the old rows, which the 0.4.0 fixture test checks.</remarks>
public static class LegacyTypeNames
{
    /// <summary>Up to 0.4.0 (commit 3e864fa) the block events lived in Bulwark.Entities.</summary>
    public static readonly IReadOnlyDictionary<(string Assembly, string Type), Type> Map =
        new Dictionary<(string, string), Type>
        {
            [("Bulwark.Entities", "Bulwark.Entities.IpReputation.IpBlocked")] = typeof(IpBlocked),
            [("Bulwark.Entities", "Bulwark.Entities.IpReputation.IpUnblocked")] = typeof(IpUnblocked),
        };
}
