using Bulwark.Node.Configuration;
using Microsoft.Extensions.Configuration;

namespace Bulwark.Node.Tests.Configuration;

/// <summary>cluster-config/bulwark.json spells out the built-in defaults: a node started with it
/// behaves like one started with nothing but its accepted domain.</summary>
public class ShippedConfigurationTests
{
    [Fact]
    public void The_shipped_file_holds_the_defaults()
    {
        var root = RepositoryRoot();
        var shipped = BulwarkSettingsLoader.Load(new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(root, "cluster-config", "bulwark.json"))
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Domains:0:RecipientsFile"] = Path.Combine(root, "cluster-config", "recipients.txt"),
            })
            .Build());
        var defaults = TestSettings.Load();

        Assert.Equal(defaults.Node.Roles, shipped.Node.Roles);
        Assert.Equal(defaults.Node with { Roles = [] }, shipped.Node with { Roles = [] });
        Assert.Equal(defaults.Cluster with { SeedNodes = [] }, shipped.Cluster with { SeedNodes = [] });
        Assert.Empty(shipped.Cluster.SeedNodes);
        Assert.Equal(defaults.Smtp.Limits, shipped.Smtp.Limits);
        Assert.Equal(defaults.Smtp.Timeouts, shipped.Smtp.Timeouts);
        Assert.Equal((defaults.Smtp.Address, defaults.Smtp.Port, defaults.Smtp.MaxConnections, defaults.Smtp.AskTimeout, defaults.Smtp.DrainTimeout),
            (shipped.Smtp.Address, shipped.Smtp.Port, shipped.Smtp.MaxConnections, shipped.Smtp.AskTimeout, shipped.Smtp.DrainTimeout));
        Assert.Equal(defaults.Domains[0] with { RecipientsFile = null }, shipped.Domains[0] with { RecipientsFile = null });
        Assert.Equal(defaults.Reputation with { Allowlist = [] }, shipped.Reputation with { Allowlist = [] });
        Assert.Empty(shipped.Reputation.Allowlist);
        Assert.Equal(defaults.Delivery, shipped.Delivery);
        Assert.Equal(defaults.Persistence, shipped.Persistence);
        Assert.Equal(defaults.Admin, shipped.Admin);
        Assert.Equal(defaults.Dns.NameServers, shipped.Dns.NameServers);
        Assert.Equal(defaults.Dns.TrustedNetworks, shipped.Dns.TrustedNetworks);
        Assert.Equal(defaults.Dns with { NameServers = [], TrustedNetworks = [] }, shipped.Dns with { NameServers = [], TrustedNetworks = [] });
        Assert.Equal(defaults.Content with { Policy = new() }, shipped.Content with { Policy = new() });
        Assert.Equal(defaults.Content.Policy.Default, shipped.Content.Policy.Default);
        Assert.Empty(shipped.Content.Policy.PerDomain);
        Assert.Empty(shipped.Content.Policy.PerRecipient);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "cluster-config", "bulwark.json"))) return directory.FullName;
        throw new InvalidOperationException("cluster-config/bulwark.json not found above " + AppContext.BaseDirectory);
    }
}
