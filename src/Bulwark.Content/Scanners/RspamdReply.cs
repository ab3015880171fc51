using System.Text.Json;
using Bulwark.Policy.Content;

namespace Bulwark.Content.Scanners;

/// <summary>Parses rspamd's /checkv2 JSON answer into a <see cref="SpamScan"/>.</summary>
public static class RspamdReply
{
    /// <summary>
    /// Symbols come back ordered by their score, highest first (then by name), so the first
    /// few are the ones that explain the verdict when a header can only hold some.
    /// is_skipped is not a failure: rspamd sets it when a rule (GTUBE, settings) decided without
    /// running the rest, and its action still holds. Malformed JSON is Unavailable.
    /// </summary>
    public static SpamScan Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.String)
                return Bad("no action in rspamd's answer");
            var symbols = new List<(string Name, double Score)>();
            if (root.TryGetProperty("symbols", out var syms) && syms.ValueKind == JsonValueKind.Object)
                foreach (var s in syms.EnumerateObject())
                    symbols.Add((s.Name, s.Value.ValueKind == JsonValueKind.Object && s.Value.TryGetProperty("score", out var sc) && sc.TryGetDouble(out var d) ? d : 0));
            return new SpamScan(ScanStatus.Done,
                Score: Number(root, "score"),
                RequiredScore: Number(root, "required_score"),
                Action: action.GetString()!,
                Symbols: symbols.OrderByDescending(s => s.Score).ThenBy(s => s.Name, StringComparer.Ordinal).Select(s => s.Name).ToList());
        }
        catch (JsonException e)
        {
            return Bad("rspamd's answer is not JSON: " + e.Message);
        }
    }

    private static double Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) ? d : 0;

    private static SpamScan Bad(string problem) => new(ScanStatus.Unavailable, Problem: problem);
}
