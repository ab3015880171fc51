using Bulwark.Node.Configuration;
using Microsoft.Extensions.Configuration;

namespace Bulwark.Node.Tests.Configuration;

/// <summary>Loads settings from in-memory keys on top of the one value every node needs (an
/// accepted domain), so a test names only what it is about.</summary>
internal static class TestSettings
{
    public static IConfiguration Configuration(params (string Key, string? Value)[] values)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { ["Domains:0:Name"] = "example.test" };
        foreach (var (key, value) in values) data[key] = value;
        return new ConfigurationBuilder().AddInMemoryCollection(data).Build();
    }

    public static BulwarkSettings Load(params (string Key, string? Value)[] values) =>
        BulwarkSettingsLoader.Load(Configuration(values));

    /// <summary>The one line the node prints, without its "bulwark: " prefix.</summary>
    public static string ErrorFor(params (string Key, string? Value)[] values) =>
        Assert.Throws<ConfigurationError>(() => Load(values)).Message;
}
