using System.Text;
using System.Text.Json;

namespace Bulwark.Node.Admin;

/// <summary>Readable tables for the listing commands; everything else is shown as the JSON the
/// node answered (already indented). --json always gives the JSON.</summary>
public static class AdminCliOutput
{
    public static string Render(CliView view, string json)
    {
        if (view == CliView.Json) return json;
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return view switch
        {
            CliView.Blocks => Table(["IP", "UNTIL", "REASON"], Rows(root, "ip", "until", "reason"), "no blocked IPs"),
            CliView.Quarantine => Table(["ID", "RECEIVED", "SENDER", "REASON"], Rows(root, "id", "receivedAt", "sender", "reason"), "quarantine is empty"),
            CliView.Queue => Table(["QUEUE ID", "STATE", "RECEIVED", "ATTEMPTS", "NEXT ATTEMPT", "SENDER", "LAST ERROR"],
                Rows(root.GetProperty("entries"), "queueId", "state", "receivedAt", "attempts", "nextAttemptAt", "sender", "lastError"), "queue is empty")
                + $"{root.GetProperty("total").GetInt32()} message(s)\n",
            CliView.DeadLetters => Table(["QUEUE ID", "DIED", "SENDER", "REASON"],
                Rows(root.GetProperty("entries"), "queueId", "deadAt", "sender", "reason"), "no dead letters")
                + $"{root.GetProperty("total").GetInt32()} dead letter(s)\n",
            CliView.Cluster => Cluster(root),
            CliView.Shards => Shards(root),
            _ => json,
        };
    }

    private static string Cluster(JsonElement root)
    {
        var rows = root.GetProperty("members").EnumerateArray().Select(m => new[]
        {
            Text(m, "address"),
            Text(m, "status"),
            m.GetProperty("reachable").GetBoolean() ? "yes" : "NO",
            string.Join(",", m.GetProperty("roles").EnumerateArray().Select(r => r.GetString())),
            Text(m, "appVersion"),
        }).ToList();
        return $"self:   {Text(root, "self")}\nleader: {Text(root, "leader")}\n" +
               Table(["MEMBER", "STATUS", "REACHABLE", "ROLES", "VERSION"], rows, "no members");
    }

    private static string Shards(JsonElement root)
    {
        var rows = new List<string[]>();
        foreach (var type in root.EnumerateObject())
        {
            if (type.Value.TryGetProperty("error", out var error))
            {
                rows.Add([type.Name, "-", "-", "-", "error: " + error.GetString()]);
                continue;
            }
            foreach (var node in type.Value.EnumerateObject())
                rows.Add([type.Name, node.Name, Text(node.Value, "shards"), Text(node.Value, "entities"), ""]);
        }
        return Table(["ENTITY TYPE", "NODE", "SHARDS", "ENTITIES", ""], rows, "no shard regions");
    }

    private static List<string[]> Rows(JsonElement array, params string[] fields) =>
        array.EnumerateArray().Select(item => fields.Select(f => Text(item, f)).ToArray()).ToList();

    private static string Text(JsonElement item, string field) =>
        !item.TryGetProperty(field, out var value) ? "" : value.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => "-",
            JsonValueKind.String => value.GetString()!.Replace('\n', ' ').Replace('\r', ' '),
            _ => value.GetRawText(),
        };

    public static string Table(string[] headers, IReadOnlyList<string[]> rows, string empty)
    {
        if (rows.Count == 0) return empty + "\n";
        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        var output = new StringBuilder();
        void Line(IReadOnlyList<string> cells) =>
            output.Append(string.Join("  ", cells.Select((c, i) => i == cells.Count - 1 ? c : c.PadRight(widths[i]))).TrimEnd()).Append('\n');
        Line(headers);
        foreach (var row in rows) Line(row);
        return output.ToString();
    }
}
