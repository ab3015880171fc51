using System.Xml.Linq;

namespace Bulwark.Policy.Tests.Addressing;

/// <summary>
/// Loads the is_email test vectors (github.com/dominicsayers/isemail, test set 3.05, BSD-3-Clause,
/// see shared/corpora/smtp/README.md). The corpus lives in shared/ BESIDE the repository clone
/// (/work/main/../shared here, &lt;clone&gt;/../shared in CI), so we walk up from the test assembly
/// until a folder holds shared/corpora/smtp/isemail/tests.xml.
/// </summary>
public static class IsEmailCorpus
{
    public const string RelativePath = "shared/corpora/smtp/isemail/tests.xml";
    public const int ExpectedEntries = 164;

    public sealed record Vector(string Id, string Category, string Diagnosis, string Address);

    private static readonly Lazy<(IReadOnlyList<Vector> Vectors, string? Error)> Loaded = new(Load);

    public static IReadOnlyList<Vector> Vectors => Loaded.Value.Vectors;

    /// <summary>Why the corpus could not be read, or null.</summary>
    public static string? LoadError => Loaded.Value.Error;

    public static string? FindFile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, RelativePath);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static (IReadOnlyList<Vector>, string?) Load()
    {
        var file = FindFile();
        if (file is null)
            return ([], $"corpus {RelativePath} not found in any parent of {AppContext.BaseDirectory}");
        try
        {
            var vectors = XDocument.Load(file).Root!.Elements("test")
                .Select(t => new Vector(
                    (string?)t.Attribute("id") ?? "?",
                    (string?)t.Element("category") ?? "",
                    (string?)t.Element("diagnosis") ?? "",
                    Unescape((string?)t.Element("address") ?? "")))
                .ToList();
            return (vectors, null);
        }
        catch (Exception e)
        {
            return ([], $"corpus {file} unreadable: {e.Message}");
        }
    }

    /// <summary>XML cannot hold control characters: the corpus writes them as U+2400 + n.</summary>
    public static string Unescape(string address)
    {
        var chars = address.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
            if (chars[i] is >= '\u2400' and <= '\u241F') chars[i] = (char)(chars[i] - 0x2400);
        return new string(chars);
    }
}
