using System.Collections.Concurrent;
using System.Reflection;
using Bulwark.Policy.Dmarc;

namespace Bulwark.Dns.Dmarc;

/// <summary>
/// Reads the Public Suffix List for DMARC's Organizational Domain: the configured file (by
/// default Debian's, kept current by the publicsuffix package), or, when it is missing, the copy
/// built into this assembly, so that a node without the package still finds "example.co.uk"
/// right. Each file is read once per process.
/// </summary>
public static class PublicSuffixListFile
{
    public const string DebianPath = "/usr/share/publicsuffix/public_suffix_list.dat";
    private const string BuiltInResource = "Bulwark.Dns.public_suffix_list.dat";

    private static readonly ConcurrentDictionary<string, Lazy<(PublicSuffixList List, string Origin)>> Loaded = new(StringComparer.Ordinal);

    /// <summary>The list, and where it came from (the file's path or "built-in copy").</summary>
    public static (PublicSuffixList List, string Origin) Load(string? path) =>
        Loaded.GetOrAdd(path ?? "", p => new Lazy<(PublicSuffixList, string)>(() => Read(p))).Value;

    private static (PublicSuffixList, string) Read(string path)
    {
        if (path.Length > 0 && File.Exists(path)) return (PublicSuffixList.Parse(File.ReadLines(path)), path);
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(BuiltInResource)
            ?? throw new InvalidOperationException($"the built-in Public Suffix List ({BuiltInResource}) is missing from the build");
        using var reader = new StreamReader(stream);
        var lines = new List<string>(16_000);
        while (reader.ReadLine() is { } line) lines.Add(line);
        return (PublicSuffixList.Parse(lines), "built-in copy");
    }
}
