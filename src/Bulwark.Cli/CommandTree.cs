using System.CommandLine;
using System.CommandLine.Help;

namespace Bulwark.Cli;

/// <summary>
/// Every command line `bulwark` understands, as one System.CommandLine tree: the root runs the
/// node (only --config), each leaf below it is one admin API call. Help texts and the parser read
/// the same tree, so a command cannot be documented and parsed differently.
/// </summary>
public sealed class CommandTree
{
    public const string DefaultAdminUrl = "http://127.0.0.1:8025";

    public CommandTree()
    {
        Root = new RootCommand("Runs a Bulwark node; with a COMMAND, asks a running node through its admin API.");
        Root.Add(Config);
        // Each word is a command or an option: no [directive] words, and "@file" is an
        // ordinary value (see CliParser), not a response file.
        Root.Directives.Clear();
        // The node itself is started by Program, not here: this action only marks "no command".
        Root.SetAction(_ => ExitCodes.Done);
        Root.Options.OfType<HelpOption>().Single().Action = new UsageAction(this);
        Root.Options.OfType<VersionOption>().Single().Description = "the version of this executable";

        Argument<string> ip() => new("IP") { Description = "an IPv4 address, or IPv6 (kept by its /64)" };
        Root.Add(Call("cluster", "members, status, reachability, versions", new CliRequest(HttpMethod.Get, "/admin/cluster", CliView.Cluster)));
        Root.Add(Call("shards", "shards and entities per node and entity type", new CliRequest(HttpMethod.Get, "/admin/shards", CliView.Shards)));
        Root.Add(Call("blocks", "blocked IPs with reason and expiry", new CliRequest(HttpMethod.Get, "/admin/blocks", CliView.Blocks)));
        Root.Add(Block(ip()));
        Root.Add(WithId(ip(), Call("unblock", "lift a block farm-wide", (_, value) => new(HttpMethod.Delete, $"/admin/blocks/{E(value)}", CliView.IpStatus))));
        Root.Add(WithId(ip(), Call("ip-status", "what the farm knows about an IP", (_, value) => new(HttpMethod.Get, $"/admin/ip/{E(value)}", CliView.IpStatus))));
        Root.Add(Queue());
        Root.Add(Quarantine());
    }

    public RootCommand Root { get; }

    public Option<string> Config { get; } = new("--config")
    {
        Description = "the node's settings (default: $BULWARK_CONFIG, else cluster-config/bulwark.json)",
        HelpName = "FILE",
    };

    public Option<string> Admin { get; } = new("--admin")
    {
        Description = $"the node's admin API (default: $BULWARK_ADMIN_URL, else {DefaultAdminUrl})",
        HelpName = "URL",
    };

    public Option<string> Token { get; } = new("--token")
    {
        Description = "bearer token, when the node has one (default: $BULWARK_ADMIN_TOKEN)",
        HelpName = "TOKEN",
    };

    public Option<bool> Json { get; } = new("--json") { Description = "print the node's JSON instead of a table" };

    /// <summary>The options every admin command takes, in the order help lists them.</summary>
    public IReadOnlyList<Option> Shared => [Admin, Token, Json];

    private Command Block(Argument<string> ip)
    {
        var minutes = new Option<string>("--minutes") { Description = "how long, in minutes (default: 60)", HelpName = "N" };
        var reason = new Option<string>("--reason") { Description = "shown in blocks and logs (default: blocked by operator)", HelpName = "TEXT" };
        var block = Call("block", "block farm-wide (default 60 minutes)", (r, value) => new(HttpMethod.Post,
            $"/admin/blocks/{E(value)}?minutes={E(r.GetValue(minutes) ?? "60")}&reason={E(r.GetValue(reason) ?? "blocked by operator")}",
            CliView.IpStatus));
        block.Add(minutes);
        block.Add(reason);
        return WithId(ip, block);
    }

    private Command Queue()
    {
        Argument<string> id() => new("ID") { Description = "a queue id, as queue list or queue dead show it" };
        return new Command("queue", "this node's delivery queue (each node delivers from its own spool)")
        {
            Call("list", "messages waiting or in delivery, oldest first", new CliRequest(HttpMethod.Get, "/admin/queue", CliView.Queue)),
            Call("stats", "depth, in flight, oldest message, dead letters", new CliRequest(HttpMethod.Get, "/admin/queue/stats", CliView.QueueStats)),
            Call("flush", "make every waiting message due now", new CliRequest(HttpMethod.Post, "/admin/queue/flush", CliView.Flushed)),
            WithId(id(), Call("retry", "deliver one message now", (_, value) => new(HttpMethod.Post, $"/admin/queue/{E(value)}/retry", CliView.QueueAction))),
            Call("dead", "dead letters: messages given up on", new CliRequest(HttpMethod.Get, "/admin/queue/dead", CliView.DeadLetters)),
            WithId(id(), Call("requeue", "put a dead letter back in the queue", (_, value) => new(HttpMethod.Post, $"/admin/queue/dead/{E(value)}/requeue", CliView.QueueAction))),
        };
    }

    private Command Quarantine()
    {
        Argument<string> id() => new("ID") { Description = "a quarantine id, as quarantine list shows it" };
        return new Command("quarantine", "messages held back by the content scanners")
        {
            Call("list", "entries, oldest first", new CliRequest(HttpMethod.Get, "/admin/quarantine", CliView.Quarantine)),
            WithId(id(), Call("show", "an entry's details and message text", (_, value) => new(HttpMethod.Get, $"/admin/quarantine/{E(value)}", CliView.QuarantineEntry))),
            WithId(id(), Call("release", "deliver it to the recipients it was held for", (_, value) => new(HttpMethod.Post, $"/admin/quarantine/{E(value)}/release", CliView.Released))),
            WithId(id(), Call("delete", "remove it for good", (_, value) => new(HttpMethod.Delete, $"/admin/quarantine/{E(value)}", CliView.Deleted))),
        };
    }

    private ApiCommand Call(string name, string description, CliRequest request) =>
        Call(name, description, (_, _) => request);

    private ApiCommand Call(string name, string description, Func<ParseResult, string, CliRequest> request)
    {
        var command = new ApiCommand(name, description, request);
        foreach (var option in Shared) command.Add(option);
        return command;
    }

    /// <summary>Gives the command its one positional argument (an IP or an id).</summary>
    private static ApiCommand WithId(Argument<string> argument, ApiCommand command)
    {
        command.Add(argument);
        command.Value = argument;
        return command;
    }

    private static string E(string text) => Uri.EscapeDataString(text);
}

/// <summary>A leaf of the tree: one admin API call, built from what was parsed.</summary>
public sealed class ApiCommand : Command
{
    private readonly Func<ParseResult, string, CliRequest> _request;

    public ApiCommand(string name, string description, Func<ParseResult, string, CliRequest> request) : base(name, description)
    {
        _request = request;
        // Parsing only decides; AdminCli makes the call. Without an action the parser would
        // treat the leaf as incomplete.
        SetAction(_ => ExitCodes.Done);
    }

    /// <summary>The positional argument (IP or ID), when the command has one.</summary>
    public Argument<string>? Value { get; set; }

    public CliRequest RequestFor(ParseResult result) =>
        _request(result, Value is null ? "" : result.GetValue(Value) ?? "");
}
