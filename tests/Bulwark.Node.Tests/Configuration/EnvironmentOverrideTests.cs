using Bulwark.Node.Configuration;

namespace Bulwark.Node.Tests.Configuration;

/// <summary>The file, then BULWARK_ environment variables over it, as the node reads them at
/// start. These tests change the process environment, so they run one at a time and put it back.</summary>
[Collection(nameof(EnvironmentOverrideTests))]
public sealed class EnvironmentOverrideTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"bulwark-{Guid.NewGuid():N}.json");
    private readonly List<string> _variables = [];

    public EnvironmentOverrideTests() => File.WriteAllText(_file, """
        {
          "Node": { "Roles": [ "listener", "policy" ] },
          "Smtp": { "Port": 2525 },
          "Domains": [ { "Name": "example.test", "CatchAll": false } ]
        }
        """);

    [Fact]
    public void Double_underscores_separate_the_levels_of_a_key()
    {
        Set("BULWARK_Smtp__Port", "2526");
        Set("BULWARK_Domains__0__CatchAll", "true");
        Set("BULWARK_Delivery__NextHop__Host", "store.internal");
        var settings = Load();
        Assert.Equal(2526, settings.Smtp.Port);
        Assert.True(settings.Domains[0].CatchAll);
        Assert.Equal("store.internal", settings.Delivery.NextHop.Host);
    }

    [Fact]
    public void One_comma_separated_variable_replaces_a_list_of_the_file()
    {
        Set("BULWARK_Node__Roles", "listener");
        Set("BULWARK_Dns__NameServers", "10.0.0.53:53, 10.0.1.53:53");
        var settings = Load();
        Assert.Equal(["listener"], settings.Node.Roles);
        Assert.Equal(["10.0.0.53:53", "10.0.1.53:53"], settings.Dns.NameServers);
    }

    [Fact]
    public void A_bad_variable_names_the_key_it_sets()
    {
        Set("BULWARK_Smtp__Port", "abc");
        Assert.Equal("configuration error: Smtp:Port: 'abc' is not a whole number", Assert.Throws<ConfigurationError>(Load).Message);
    }

    [Fact]
    public void A_missing_file_is_reported_against_the_config_option()
    {
        Assert.Equal("configuration error: --config: file '/nonexistent/bulwark.json' not found",
            Assert.Throws<ConfigurationError>(() => BulwarkSettingsLoader.BuildConfiguration("/nonexistent/bulwark.json")).Message);
    }

    public void Dispose()
    {
        foreach (var variable in _variables) Environment.SetEnvironmentVariable(variable, null);
        File.Delete(_file);
    }

    private BulwarkSettings Load() => BulwarkSettingsLoader.Load(BulwarkSettingsLoader.BuildConfiguration(_file));

    private void Set(string variable, string value)
    {
        _variables.Add(variable);
        Environment.SetEnvironmentVariable(variable, value);
    }
}
