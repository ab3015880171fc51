namespace Bulwark.Dns.Tests;

/// <summary>
/// Finds third-party test corpora. They live in shared/ BESIDE the repository clone
/// (/work/main/../shared here, &lt;clone&gt;/../shared in CI), so we walk up from the test assembly
/// until a folder holds the wanted relative path.
/// </summary>
public static class CorpusPaths
{
    /// <summary>The full path of <paramref name="relativePath"/> (e.g. "shared/corpora/spf") under the
    /// nearest ancestor of the test assembly that has it, or null.</summary>
    public static string? Find(string relativePath)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relativePath);
            if (File.Exists(candidate) || Directory.Exists(candidate)) return candidate;
        }
        return null;
    }
}
