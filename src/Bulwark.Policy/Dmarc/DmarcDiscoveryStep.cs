using System.Diagnostics.CodeAnalysis;

namespace Bulwark.Policy.Dmarc;

/// <summary>
/// One step of <see cref="DmarcDiscovery.Next"/>: either a TXT query the caller must make next
/// (<see cref="QueryName"/>), or the end of discovery (<see cref="Result"/>). Exactly one is set.
/// </summary>
public readonly record struct DmarcDiscoveryStep
{
    private DmarcDiscoveryStep(string? queryName, DmarcDiscoveryResult? result)
    {
        QueryName = queryName;
        Result = result;
    }

    /// <summary>The name to ask TXT records for, such as "_dmarc.example.com"; null when done.</summary>
    public string? QueryName { get; }

    /// <summary>What discovery found; null while a query is still to be made.</summary>
    public DmarcDiscoveryResult? Result { get; }

    /// <summary>True when discovery has ended and <see cref="Result"/> is set.</summary>
    [MemberNotNullWhen(true, nameof(Result))]
    [MemberNotNullWhen(false, nameof(QueryName))]
    public bool IsDone => Result is not null;

    public static DmarcDiscoveryStep Query(string name) => new(name, null);

    public static DmarcDiscoveryStep Done(DmarcDiscoveryResult result) => new(null, result);
}
