using Bulwark.Node.Configuration.Binding;

namespace Bulwark.Node.Configuration.Validation;

/// <summary>Node: a data directory, known roles, a hostname.</summary>
public sealed class NodeValidator : SectionValidator
{
    protected override void Check(BulwarkOptions options, SettingProblems problems)
    {
        var node = options.Node;
        problems.NotEmpty("Node:DataDirectory", node.DataDirectory);
        if (node.Roles?.FirstOrDefault(role => !NodeOptions.AllRoles.Contains(role)) is { } unknown)
            problems.Add("Node:Roles", $"unknown role '{unknown}' ({string.Join(", ", NodeOptions.AllRoles)})");
        problems.NotEmpty("Node:Hostname", node.Hostname);
    }
}

/// <summary>Cluster: the remoting address and akka.tcp:// seed nodes.</summary>
public sealed class ClusterValidator : SectionValidator
{
    protected override void Check(BulwarkOptions options, SettingProblems problems)
    {
        var cluster = options.Cluster;
        problems.NotEmpty("Cluster:Host", cluster.Host);
        problems.InRange("Cluster:Port", cluster.Port, 0, 65535);
        if (cluster.SeedNodes?.FirstOrDefault(seed => !seed.StartsWith("akka.tcp://", StringComparison.Ordinal)) is { } bad)
            problems.Add("Cluster:SeedNodes", $"'{bad}' is not an akka.tcp:// address");
    }
}
