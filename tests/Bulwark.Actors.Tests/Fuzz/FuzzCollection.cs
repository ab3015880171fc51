namespace Bulwark.Actors.Tests.Fuzz;

/// <summary>The fuzz tests watch process-wide signals (unhandled and unobserved exceptions) and
/// measure the heap: they run alone, so no other test's noise is blamed on them or theirs on others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FuzzCollection
{
    public const string Name = "fuzz";
}
