using System.Xml.Linq;

namespace Bulwark.Architecture.Tests;

/// <summary>
/// The walls between Bulwark's projects (docs/architecture.md), as assertions over the compiled
/// assemblies: which Bulwark projects each may use, and what the pure one may not touch at all.
/// A change that breaks a wall fails here, whatever the source looks like.
/// </summary>
public sealed class WallTests
{
    /// <summary>Each assembly and the Bulwark assemblies it may reference (a subset of these; none else).</summary>
    public static TheoryData<string, string[]> Allowed => new()
    {
        { "Bulwark.Policy", [] },
        { "Bulwark.Telemetry", [] },
        { "Bulwark.Delivery", [] },
        { "Bulwark.Dns", ["Bulwark.Policy"] },
        { "Bulwark.Contracts", ["Bulwark.Policy"] },
        { "Bulwark.NodeCaches", ["Bulwark.Policy", "Bulwark.Contracts"] },
        { "Bulwark.Content", ["Bulwark.Policy", "Bulwark.Delivery", "Bulwark.Telemetry"] },
        { "Bulwark.Entities", ["Bulwark.Policy", "Bulwark.Contracts", "Bulwark.Dns", "Bulwark.NodeCaches", "Bulwark.Telemetry"] },
        { "Bulwark.Listener", ["Bulwark.Policy", "Bulwark.Contracts", "Bulwark.NodeCaches", "Bulwark.Delivery", "Bulwark.Content", "Bulwark.Telemetry"] },
        { "Bulwark.Cli", [] },
        { "Bulwark.Admin", ["Bulwark.Policy", "Bulwark.Contracts", "Bulwark.Dns", "Bulwark.NodeCaches", "Bulwark.Delivery", "Bulwark.Content", "Bulwark.Telemetry", "Bulwark.Listener"] },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Each_project_uses_only_the_projects_below_its_wall(string assembly, string[] allowed)
    {
        var used = AssemblyFacts.Of(assembly).BulwarkReferences.ToList();
        Assert.All(used, reference => Assert.True(allowed.Contains(reference), $"{assembly} references {reference}; its wall allows only [{string.Join(", ", allowed)}]"));
    }

    [Fact]
    public void Policy_imports_nothing_but_the_base_library()
    {
        var foreign = AssemblyFacts.Of("Bulwark.Policy").References
            .Where(r => !(r is "System.Runtime" or "netstandard" or "mscorlib" || r.StartsWith("System.", StringComparison.Ordinal)))
            .ToList();
        Assert.True(foreign.Count == 0, $"Bulwark.Policy references {string.Join(", ", foreign)}");
    }

    /// <summary>Types and members that are I/O or a clock: a pure decision takes its inputs (and
    /// its "now") from the caller.</summary>
    private static readonly string[] ForbiddenTypePrefixes =
    [
        "Akka.",
        "System.IO.File", "System.IO.Directory", "System.IO.FileStream", "System.IO.FileInfo", "System.IO.DirectoryInfo", "System.IO.FileSystemWatcher",
        "System.Net.Sockets.Socket", "System.Net.Sockets.TcpClient", "System.Net.Sockets.TcpListener", "System.Net.Sockets.UdpClient", "System.Net.Sockets.NetworkStream",
        "System.Net.Http.", "System.Net.Dns", "System.Net.Security.",
        "System.Diagnostics.Process", "System.Diagnostics.Stopwatch",
        "System.Threading.Timer", "System.Console",
    ];

    private static readonly string[] ForbiddenMembers =
    [
        "System.DateTime::get_Now", "System.DateTime::get_UtcNow", "System.DateTime::get_Today",
        "System.DateTimeOffset::get_Now", "System.DateTimeOffset::get_UtcNow",
        "System.TimeProvider::get_System",
        "System.Environment::get_TickCount", "System.Environment::get_TickCount64",
        "System.Threading.Thread::Sleep", "System.Threading.Tasks.Task::Delay",
    ];

    [Fact]
    public void Policy_does_no_io_and_reads_no_clock()
    {
        var policy = AssemblyFacts.Of("Bulwark.Policy");
        var types = policy.Types.Where(t => ForbiddenTypePrefixes.Any(p => t.StartsWith(p, StringComparison.Ordinal))).ToList();
        var members = policy.Members.Where(ForbiddenMembers.Contains).ToList();
        Assert.True(types.Count == 0 && members.Count == 0, $"Bulwark.Policy uses {string.Join(", ", types.Concat(members))}");
    }

    [Fact]
    public void The_checks_for_io_see_what_they_look_for()
    {
        // The positive control of the test above: the same scan over assemblies that do I/O finds it.
        var dns = AssemblyFacts.Of("Bulwark.Dns");
        var delivery = AssemblyFacts.Of("Bulwark.Delivery");
        var listener = AssemblyFacts.Of("Bulwark.Listener");
        Assert.Contains(listener.Types, t => t.StartsWith("Akka.", StringComparison.Ordinal));
        Assert.Contains(listener.Types, t => t.StartsWith("System.Net.Sockets.Socket", StringComparison.Ordinal));
        Assert.Contains(delivery.Types, t => t.StartsWith("System.IO.File", StringComparison.Ordinal));
        Assert.Contains("System.DateTimeOffset::get_UtcNow", listener.Members);
        Assert.Contains("DnsClient", dns.References);
    }

    [Fact]
    public void Entities_never_know_the_listener_and_the_listener_knows_entities_only_by_their_contracts()
    {
        Assert.DoesNotContain("Bulwark.Listener", AssemblyFacts.Of("Bulwark.Entities").References);
        var listener = AssemblyFacts.Of("Bulwark.Listener");
        Assert.DoesNotContain("Bulwark.Entities", listener.References);
        Assert.DoesNotContain("Bulwark.Dns", listener.References);
        // What the listener does use of the farm: the protocol messages and the shard names.
        Assert.Contains(listener.Types, t => t.StartsWith("Bulwark.Contracts.", StringComparison.Ordinal));
    }

    [Fact]
    public void Delivery_knows_nothing_of_policy() =>
        Assert.Empty(AssemblyFacts.Of("Bulwark.Delivery").BulwarkReferences);

    [Fact]
    public void The_node_names_every_project_it_uses_in_its_own_project_file()
    {
        var used = AssemblyFacts.Of("bulwark").BulwarkReferences.ToHashSet();
        var named = ProjectReferences("Bulwark.Node");
        var missing = used.Except(named).ToList();
        Assert.True(missing.Count == 0, $"bulwark uses {string.Join(", ", missing)} without a ProjectReference of its own");
        Assert.Contains("Bulwark.Listener", used);
        Assert.Contains("Bulwark.Entities", used);
    }

    [Fact]
    public void The_node_only_composes_it_declares_no_actor()
    {
        var actors = AssemblyFacts.Of("bulwark").Declared
            .Where(d => d.BaseType.StartsWith("Akka.Actor.", StringComparison.Ordinal) || d.BaseType.StartsWith("Akka.Persistence.", StringComparison.Ordinal))
            .Select(d => d.Type)
            .ToList();
        Assert.True(actors.Count == 0, $"actors declared in Bulwark.Node: {string.Join(", ", actors)}");
    }

    /// <summary>The assembly names of a src project's ProjectReferences.</summary>
    private static HashSet<string> ProjectReferences(string project)
    {
        var file = Path.Combine(RepositoryRoot(), "src", project, project + ".csproj");
        return XDocument.Load(file).Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value.Replace('\\', '/')))
            .ToHashSet(StringComparer.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Actors.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Actors.sln not found above the test output");
    }
}
