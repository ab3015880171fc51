using System.Globalization;
using System.Text.Json;

namespace Bulwark.Cli;

/// <summary>
/// What each command prints by default, from the JSON the admin API answered (see
/// <see cref="CliView"/> for the fields): tables for listings, label/value lines for one object,
/// a sentence for an action. --json prints the JSON instead and does not come here.
/// </summary>
public static class CliOutput
{
    public static string Render(CliView view, string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return view switch
        {
            CliView.Blocks => TextTable.Table(["IP", "UNTIL", "REASON"], Rows(root, "ip", "until", "reason"), "no blocked IPs"),
            CliView.Quarantine => TextTable.Table(["ID", "RECEIVED", "SENDER", "REASON"], Rows(root, "id", "receivedAt", "sender", "reason"), "quarantine is empty"),
            CliView.Queue => TextTable.Table(["QUEUE ID", "STATE", "RECEIVED", "ATTEMPTS", "NEXT ATTEMPT", "SENDER", "LAST ERROR"],
                Rows(root.GetProperty("entries"), "queueId", "state", "receivedAt", "attempts", "nextAttemptAt", "sender", "lastError"), "queue is empty")
                + $"{root.GetProperty("total").GetInt32()} message(s)\n",
            CliView.DeadLetters => TextTable.Table(["QUEUE ID", "DIED", "SENDER", "REASON"],
                Rows(root.GetProperty("entries"), "queueId", "deadAt", "sender", "reason"), "no dead letters")
                + $"{root.GetProperty("total").GetInt32()} dead letter(s)\n",
            CliView.Cluster => Cluster(root),
            CliView.Shards => Shards(root),
            CliView.IpStatus => IpStatus(root),
            CliView.QueueStats => QueueStats(root),
            CliView.Flushed => $"{Text(root, "count")} waiting message(s) made due now\n",
            CliView.QueueAction => $"{Text(root, "queueId")}: {Text(root, "message")}\n",
            CliView.QuarantineEntry => QuarantineEntry(root),
            CliView.Released => $"released {Text(root, "released")}: queued for delivery as {Text(root, "queueId")}\n",
            CliView.Deleted => $"deleted {Text(root, "deleted")}\n",
            _ => throw new ArgumentOutOfRangeException(nameof(view), view, "no rendering for this view"),
        };
    }

    /// <summary>The reason a refused call gives: the "error" (or a result's "message") of a JSON
    /// answer, else the answer as it is.</summary>
    public static string Problem(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            foreach (var field in (string[])["error", "message"])
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String)
                    return value.GetString()!;
        }
        catch (JsonException)
        {
        }
        return body.Trim();
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
        return TextTable.Fields([("self", Text(root, "self")), ("leader", Text(root, "leader"))]) +
               TextTable.Table(["MEMBER", "STATUS", "REACHABLE", "ROLES", "VERSION"], rows, "no members");
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
        return TextTable.Table(["ENTITY TYPE", "NODE", "SHARDS", "ENTITIES", ""], rows, "no shard regions");
    }

    /// <summary>The IpReputation entity's view, answered by ip-status, block and unblock alike.</summary>
    private static string IpStatus(JsonElement root)
    {
        var blocked = root.TryGetProperty("blockedUntil", out var until) && until.ValueKind == JsonValueKind.String;
        return TextTable.Fields(
        [
            ("ip", Text(root, "ipKey")),
            ("blocked until", blocked ? Text(root, "blockedUntil") : "not blocked"),
            ("block reason", Text(root, "blockReason")),
            ("recent strikes", Text(root, "recentStrikes")),
            ("offences", Text(root, "offences")),
            ("open connections", Text(root, "openConnections")),
        ]);
    }

    private static string QueueStats(JsonElement root)
    {
        var age = root.TryGetProperty("oldestAgeSeconds", out var seconds) && seconds.ValueKind == JsonValueKind.Number
            ? seconds.GetDouble().ToString("0.0", CultureInfo.InvariantCulture) + " s"
            : "-";
        return TextTable.Fields(
        [
            ("depth", Text(root, "depth")),
            ("in flight", Text(root, "inFlight")),
            ("oldest received", Text(root, "oldestReceivedAt")),
            ("oldest age", age),
            ("dead letters", Text(root, "deadLetters")),
        ]);
    }

    /// <summary>The entry's metadata, then the message text (the node sends at most its first
    /// 256 KiB and says how much more there is).</summary>
    private static string QuarantineEntry(JsonElement root)
    {
        var entry = root.GetProperty("entry");
        var fields = new List<(string, string)>
        {
            ("id", Text(entry, "id")),
            ("quarantined", Text(entry, "quarantinedAt")),
            ("received", Text(entry, "receivedAt")),
            ("reason", Text(entry, "reason")),
            ("sender", Text(entry, "sender")),
            ("recipients", List(entry, "recipients")),
            ("client ip", Text(entry, "clientIp")),
            ("helo", Text(entry, "helo")),
            ("queue id", Text(entry, "queueId")),
        };
        if (Present(entry, "score")) fields.Add(("spam score", $"{Text(entry, "score")} (required {Text(entry, "requiredScore")})"));
        if (Present(entry, "symbols")) fields.Add(("symbols", List(entry, "symbols")));
        if (Present(entry, "virusSignature")) fields.Add(("virus", Text(entry, "virusSignature")));
        var message = root.TryGetProperty("message", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString()! : "";
        return TextTable.Fields(fields) + "\n" + message.ReplaceLineEndings("\n").TrimEnd('\n') + "\n";
    }

    private static bool Present(JsonElement item, string field) =>
        item.TryGetProperty(field, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);

    private static string List(JsonElement item, string field) =>
        item.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Array
            ? string.Join(", ", value.EnumerateArray().Select(v => v.ToString()))
            : Text(item, field);

    private static List<string[]> Rows(JsonElement array, params string[] fields) =>
        array.EnumerateArray().Select(item => fields.Select(f => Text(item, f)).ToArray()).ToList();

    private static string Text(JsonElement item, string field) =>
        !item.TryGetProperty(field, out var value) ? "" : value.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => "-",
            JsonValueKind.String => value.GetString()!.Replace('\n', ' ').Replace('\r', ' '),
            _ => value.GetRawText(),
        };
}
