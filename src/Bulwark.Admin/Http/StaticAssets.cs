using System.Reflection;

namespace Bulwark.Admin.Http;

/// <summary>The dashboard's files, built into the executable: a node serves its page with
/// nothing on disk and nothing fetched from anywhere else.</summary>
public static class StaticAssets
{
    private const string Prefix = "wwwroot/";

    private static readonly Dictionary<string, (byte[] Body, string ContentType)> Files = Load();

    public static bool IsAsset(string path) => Files.ContainsKey(Normalise(path));

    public static bool TryGet(string path, out byte[] body, out string contentType)
    {
        if (Files.TryGetValue(Normalise(path), out var file))
        {
            (body, contentType) = file;
            return true;
        }
        (body, contentType) = (Array.Empty<byte>(), "");
        return false;
    }

    private static string Normalise(string path) => path is "/" or "" ? "index.html" : path.TrimStart('/');

    private static Dictionary<string, (byte[], string)> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name[Prefix.Length..].Replace('\\', '/')] = (copy.ToArray(), ContentTypeOf(name));
        }
        return files;
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".json" => "application/json",
        ".png" => "image/png",
        _ => "application/octet-stream",
    };
}
