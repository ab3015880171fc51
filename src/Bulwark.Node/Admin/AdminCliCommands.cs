namespace Bulwark.Node.Admin;

/// <summary>How a command's answer is shown: a table of the listed fields, or the JSON itself.</summary>
public enum CliView { Json, Blocks, Cluster, Shards, Queue, DeadLetters, Quarantine }

public sealed record CliRequest(HttpMethod Method, string Path, CliView View);

/// <summary>
/// Turns the command line into one admin API request. Pure: the usage rules are tested
/// without a node.
/// </summary>
public static class AdminCliCommands
{
    public static readonly string[] Names = ["blocks", "block", "unblock", "ip-status", "quarantine", "queue", "cluster", "shards"];

    public const string Usage = """
        usage: bulwark COMMAND [--admin URL] [--token TOKEN] [--json]
          cluster                                   members, status, reachability, versions
          shards                                    shards and entities per node and entity type
          blocks                                    blocked IPs with reason and expiry
          block IP [--minutes N] [--reason TEXT]    block farm-wide (default 60 minutes)
          unblock IP                                lift a block farm-wide
          ip-status IP                              what the farm knows about an IP
          queue list | stats | flush                this node's delivery queue
          queue retry ID                            deliver one message now
          queue dead | requeue ID                   dead letters; put one back in the queue
          quarantine list | show ID | release ID | delete ID
        --admin defaults to $BULWARK_ADMIN_URL, else http://127.0.0.1:8025; --token to $BULWARK_ADMIN_TOKEN.
        exit codes: 0 done, 1 refused or unreachable, 2 usage
        """;

    /// <summary>The request for a command, or null when the arguments are not a valid command.</summary>
    public static CliRequest? Parse(string command, IReadOnlyList<string> positional, IReadOnlyDictionary<string, string> options)
    {
        static string E(string s) => Uri.EscapeDataString(s);
        return (command, positional) switch
        {
            ("cluster", []) => new(HttpMethod.Get, "/admin/cluster", CliView.Cluster),
            ("shards", []) => new(HttpMethod.Get, "/admin/shards", CliView.Shards),
            ("blocks", []) => new(HttpMethod.Get, "/admin/blocks", CliView.Blocks),
            ("ip-status", [var ip]) => new(HttpMethod.Get, $"/admin/ip/{E(ip)}", CliView.Json),
            ("block", [var ip]) => new(HttpMethod.Post,
                $"/admin/blocks/{E(ip)}?minutes={E(options.GetValueOrDefault("minutes", "60"))}&reason={E(options.GetValueOrDefault("reason", "blocked by operator"))}",
                CliView.Json),
            ("unblock", [var ip]) => new(HttpMethod.Delete, $"/admin/blocks/{E(ip)}", CliView.Json),
            ("queue", ["list"]) => new(HttpMethod.Get, "/admin/queue", CliView.Queue),
            ("queue", ["stats"]) => new(HttpMethod.Get, "/admin/queue/stats", CliView.Json),
            ("queue", ["flush"]) => new(HttpMethod.Post, "/admin/queue/flush", CliView.Json),
            ("queue", ["retry", var id]) => new(HttpMethod.Post, $"/admin/queue/{E(id)}/retry", CliView.Json),
            ("queue", ["dead"]) => new(HttpMethod.Get, "/admin/queue/dead", CliView.DeadLetters),
            ("queue", ["requeue", var id]) => new(HttpMethod.Post, $"/admin/queue/dead/{E(id)}/requeue", CliView.Json),
            ("quarantine", ["list"]) => new(HttpMethod.Get, "/admin/quarantine", CliView.Quarantine),
            ("quarantine", ["show", var id]) => new(HttpMethod.Get, $"/admin/quarantine/{E(id)}", CliView.Json),
            ("quarantine", ["release", var id]) => new(HttpMethod.Post, $"/admin/quarantine/{E(id)}/release", CliView.Json),
            ("quarantine", ["delete", var id]) => new(HttpMethod.Delete, $"/admin/quarantine/{E(id)}", CliView.Json),
            _ => null,
        };
    }

    /// <summary>Splits "--name value" options (and the "--json" flag) from positional words.</summary>
    public static (List<string> Positional, Dictionary<string, string> Options) Split(IEnumerable<string> args)
    {
        var options = new Dictionary<string, string>();
        var positional = new List<string>();
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var word = e.Current;
            if (word == "--json") options["json"] = "true";
            else if (word.StartsWith("--", StringComparison.Ordinal) && e.MoveNext()) options[word[2..]] = e.Current;
            else positional.Add(word);
        }
        return (positional, options);
    }
}
