namespace Bulwark.EndToEnd.Tests.Farm;

/// <summary>One 3-node farm shared by the tests that leave it intact (formation, propagation).</summary>
public sealed class ThreeNodeFarmFixture : IAsyncLifetime
{
    public LocalFarm Farm { get; private set; } = null!;

    public async Task InitializeAsync() => Farm = await LocalFarm.StartAsync(3);

    public async Task DisposeAsync()
    {
        if (Farm is not null) await Farm.DisposeAsync();
    }
}
