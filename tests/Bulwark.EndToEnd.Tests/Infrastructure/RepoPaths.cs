using System.Reflection;

namespace Bulwark.EndToEnd.Tests.Infrastructure;

public static class RepoPaths
{
    /// <summary>The repository root: the first parent of the test assembly holding Actors.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The node built by the same configuration as these tests (the test project references it).</summary>
    public static string NodeDll
    {
        get
        {
            var configuration = typeof(RepoPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var path = Path.Combine(Root, "src", "Bulwark.Node", "bin", configuration, "net10.0", "bulwark.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("the node is not built", path);
        }
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Actors.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("Actors.sln not found above the test assembly");
    }
}
