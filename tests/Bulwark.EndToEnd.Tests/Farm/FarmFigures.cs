using System.Net.Http;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bulwark.EndToEnd.Tests.Infrastructure;

namespace Bulwark.EndToEnd.Tests.Farm;

/// <summary>What the load tests measure and report: shards per node, subjects the sink received,
/// and one line per run appended to farm-figures.txt next to the test assembly for a human.</summary>
public static partial class FarmFigures
{
    public static readonly string[] EntityTypes = ["ip-reputation", "recipient-directory", "dns-policy"];
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(15) };

    public static string FilePath => Path.Combine(AppContext.BaseDirectory, "farm-figures.txt");

    /// <summary>GET /admin/shards at <paramref name="observer"/>: entity type → node number → shards.
    /// A type whose stats failed (e.g. during a downing) is left out.</summary>
    public static async Task<Dictionary<string, Dictionary<int, int>>> ShardsAsync(LocalFarm farm, BulwarkNode observer)
    {
        using var json = JsonDocument.Parse(await Http.GetStringAsync($"{observer.AdminUrl}/admin/shards"));
        var result = new Dictionary<string, Dictionary<int, int>>();
        foreach (var type in json.RootElement.EnumerateObject())
        {
            if (type.Value.TryGetProperty("error", out _)) continue;
            var perNode = new Dictionary<int, int>();
            foreach (var region in type.Value.EnumerateObject())
            {
                // Regions are keyed by address; the observer's own region may have no host:port.
                var n = 1 + farm.Nodes.ToList().FindIndex(node => region.Name.EndsWith($":{node.ClusterPort}", StringComparison.Ordinal));
                if (n == 0) n = 1 + farm.Nodes.ToList().IndexOf(observer);
                perNode[n] = perNode.GetValueOrDefault(n) + region.Value.GetProperty("shards").GetInt32();
            }
            result[type.Name] = perNode;
        }
        return result;
    }

    public static string Describe(Dictionary<string, Dictionary<int, int>> shards) =>
        string.Join(" ", shards.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t =>
            $"{t.Key}[{string.Join(",", t.Value.OrderBy(n => n.Key).Select(n => $"n{n.Key}={n.Value}"))}]"));

    /// <summary>Shard stats that never throw, for the figures (a failure is reported as text).</summary>
    public static async Task<string> DescribeShardsAsync(LocalFarm farm, BulwarkNode observer)
    {
        try { return Describe(await ShardsAsync(farm, observer)); }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException) { return $"unavailable ({e.Message})"; }
    }

    /// <summary>The load subjects in the sink's complete dumps (a duplicate delivery counts once).</summary>
    public static HashSet<string> DeliveredSubjects(SmtpSink sink) =>
        sink.Messages().Where(m => m.EndsWith("\n\n", StringComparison.Ordinal))
            .SelectMany(m => SubjectPattern().Matches(m).Select(x => x.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Polls the sink until every expected subject arrived or the timeout passed; returns the missing ones.</summary>
    public static async Task<IReadOnlyCollection<string>> WaitForDeliveryAsync(SmtpSink sink, IEnumerable<string> expected, TimeSpan timeout)
    {
        var missing = expected.ToHashSet(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            missing.ExceptWith(DeliveredSubjects(sink));
            if (missing.Count == 0 || DateTime.UtcNow > deadline) return missing;
            await Task.Delay(250);
        }
    }

    public static void Append(string test, string figures) =>
        File.AppendAllText(FilePath, $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} {test} {figures}{Environment.NewLine}");

    [GeneratedRegex(@"Subject: (load-\S+)")]
    private static partial Regex SubjectPattern();
}
