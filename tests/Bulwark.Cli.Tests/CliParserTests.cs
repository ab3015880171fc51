namespace Bulwark.Cli.Tests;

public class CliParserTests
{
    private static readonly Dictionary<string, string> NoEnvironment = new();

    private static ParsedCommandLine Parse(params string[] args) => CliParser.Parse(args, NoEnvironment.GetValueOrDefault);

    private static AdminCall Call(params string[] args) => Assert.IsType<AdminCall>(Parse(args));

    private static UsageError Usage(params string[] args) => Assert.IsType<UsageError>(Parse(args));

    [Theory]
    [InlineData("GET", "/admin/cluster", CliView.Cluster, "cluster")]
    [InlineData("GET", "/admin/shards", CliView.Shards, "shards")]
    [InlineData("GET", "/admin/blocks", CliView.Blocks, "blocks")]
    [InlineData("GET", "/admin/ip/2001%3Adb8%3A%3A1", CliView.IpStatus, "ip-status", "2001:db8::1")]
    [InlineData("POST", "/admin/blocks/127.0.0.9?minutes=30&reason=spam%20run", CliView.IpStatus, "block", "127.0.0.9", "--minutes", "30", "--reason", "spam run")]
    [InlineData("POST", "/admin/blocks/127.0.0.9?minutes=60&reason=blocked%20by%20operator", CliView.IpStatus, "block", "127.0.0.9")]
    [InlineData("DELETE", "/admin/blocks/127.0.0.9", CliView.IpStatus, "unblock", "127.0.0.9")]
    [InlineData("GET", "/admin/queue", CliView.Queue, "queue", "list")]
    [InlineData("GET", "/admin/queue/stats", CliView.QueueStats, "queue", "stats")]
    [InlineData("POST", "/admin/queue/flush", CliView.Flushed, "queue", "flush")]
    [InlineData("POST", "/admin/queue/Q1/retry", CliView.QueueAction, "queue", "retry", "Q1")]
    [InlineData("GET", "/admin/queue/dead", CliView.DeadLetters, "queue", "dead")]
    [InlineData("POST", "/admin/queue/dead/Q1/requeue", CliView.QueueAction, "queue", "requeue", "Q1")]
    [InlineData("GET", "/admin/quarantine", CliView.Quarantine, "quarantine", "list")]
    [InlineData("GET", "/admin/quarantine/a%2Fb", CliView.QuarantineEntry, "quarantine", "show", "a/b")]
    [InlineData("POST", "/admin/quarantine/X/release", CliView.Released, "quarantine", "release", "X")]
    [InlineData("DELETE", "/admin/quarantine/X", CliView.Deleted, "quarantine", "delete", "X")]
    public void Commands_map_to_one_request(string method, string path, CliView view, params string[] args)
    {
        var request = Call(args).Request;
        Assert.Equal(method, request.Method.Method);
        Assert.Equal(path, request.Path);
        Assert.Equal(view, request.View);
    }

    [Theory]
    [InlineData("block")]
    [InlineData("unblock", "a", "b")]
    [InlineData("queue")]
    [InlineData("queue", "retry")]
    [InlineData("quarantine", "show")]
    [InlineData("cluster", "extra")]
    public void Incomplete_or_extra_arguments_are_usage_errors(params string[] args) =>
        Usage(args);

    [Fact]
    public void Options_are_separated_from_words_and_json_is_a_flag()
    {
        var call = Call("queue", "list", "--json", "--admin", "http://x:1", "--token", "t");
        Assert.Equal("/admin/queue", call.Request.Path);
        Assert.True(call.Json);
        Assert.Equal("http://x:1", call.Target.BaseUrl);
        Assert.Equal("t", call.Target.Token);
    }

    [Fact]
    public void Options_may_come_before_the_words_and_in_name_equals_value_form()
    {
        var call = Call("block", "--reason=spam", "--minutes", "5", "127.0.0.9");
        Assert.Equal("/admin/blocks/127.0.0.9?minutes=5&reason=spam", call.Request.Path);
        Assert.False(call.Json);
    }

    [Fact]
    public void Without_options_the_admin_url_and_token_come_from_the_environment_else_the_default()
    {
        var environment = new Dictionary<string, string> { ["BULWARK_ADMIN_URL"] = "http://10.0.0.1:9000/", ["BULWARK_ADMIN_TOKEN"] = "secret" };
        var fromEnvironment = Assert.IsType<AdminCall>(CliParser.Parse(["blocks"], environment.GetValueOrDefault));
        Assert.Equal(new AdminTarget("http://10.0.0.1:9000", "secret"), fromEnvironment.Target);

        var fromOptions = Assert.IsType<AdminCall>(CliParser.Parse(["blocks", "--admin", "http://h:1", "--token", "t"], environment.GetValueOrDefault));
        Assert.Equal(new AdminTarget("http://h:1", "t"), fromOptions.Target);

        Assert.Equal(new AdminTarget("http://127.0.0.1:8025", null), Call("blocks").Target);
    }

    [Fact]
    public void A_value_starting_with_an_at_sign_is_a_value_not_a_response_file()
    {
        var call = Call("block", "127.0.0.9", "--reason", "@abuse-desk");
        Assert.EndsWith("reason=%40abuse-desk", call.Request.Path);
    }

    [Fact]
    public void The_command_words_name_the_call_for_messages() =>
        Assert.Equal("queue retry", Call("queue", "retry", "Q1").Command);

    [Fact]
    public void No_arguments_run_the_node_with_its_default_configuration() =>
        Assert.Equal(new RunNode(null), Parse());

    [Fact]
    public void Config_runs_the_node_with_that_file() =>
        Assert.Equal(new RunNode("/etc/bulwark.json"), Parse("--config", "/etc/bulwark.json"));

    [Fact]
    public void Config_without_a_file_is_a_usage_error() =>
        Assert.Contains("--config", Usage("--config").Message);

    [Fact]
    public void Config_does_not_go_with_a_command() =>
        Assert.Contains("--config is for running the node", Usage("--config", "x.json", "cluster").Message);

    [Theory]
    [InlineData("blockz", "unknown command 'blockz'", "did you mean 'block' or 'blocks'?")]
    [InlineData("queue lst", "unknown command 'lst' for 'queue'", "did you mean 'list'?")]
    [InlineData("quarantine purge", "unknown command 'purge' for 'quarantine'", "")]
    [InlineData("block 127.0.0.9 --minute 5", "unknown option '--minute' for 'block'", "did you mean '--minutes'?")]
    [InlineData("blocks --bogus", "unknown option '--bogus' for 'blocks'", "")]
    [InlineData("--admin http://x:1", "unknown option '--admin'", "")]
    [InlineData("cluster extra", "unexpected argument 'extra' for 'cluster'", "")]
    [InlineData("queue", "'queue' needs a subcommand", "")]
    [InlineData("block", "'block' needs IP", "")]
    [InlineData("queue retry", "'queue retry' needs ID", "")]
    [InlineData("--config", "--config needs a value (FILE)", "")]
    [InlineData("block 127.0.0.9 --minutes", "--minutes needs a value (N)", "")]
    public void Usage_errors_say_what_is_wrong(string line, string problem, string hint)
    {
        var error = Usage(line.Split(' '));
        Assert.StartsWith("bulwark: ", error.Message);
        Assert.Contains(problem, error.Message);
        Assert.Contains(hint, error.Message);
    }

    [Theory]
    [InlineData("blockz", "usage: bulwark [--config FILE]")]
    [InlineData("queue lst", "usage: bulwark queue SUBCOMMAND [options]")]
    [InlineData("queue explode", "usage: bulwark queue SUBCOMMAND [options]")]
    [InlineData("block", "usage: bulwark block IP [--minutes N] [--reason TEXT] [options]")]
    [InlineData("queue retry", "usage: bulwark queue retry ID [options]")]
    public void A_usage_error_carries_the_usage_of_the_command_it_reached(string line, string usage) =>
        Assert.StartsWith(usage, Usage(line.Split(' ')).Usage);

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("-?")]
    [InlineData("blockz", "--help")]
    public void Help_shows_the_node_usage_and_every_command(params string[] args)
    {
        var text = Assert.IsType<ShowText>(Parse(args)).Text;
        Assert.StartsWith("usage: bulwark [--config FILE]", text);
        foreach (var command in new[]
        {
            "cluster", "shards", "blocks", "block IP [--minutes N] [--reason TEXT]", "unblock IP", "ip-status IP",
            "queue list", "queue stats", "queue flush", "queue retry ID", "queue dead", "queue requeue ID",
            "quarantine list", "quarantine show ID", "quarantine release ID", "quarantine delete ID",
        })
            Assert.Matches($@"(?m)^  {System.Text.RegularExpressions.Regex.Escape(command)}\s{{2,}}\S", text);
        foreach (var option in new[] { "--admin URL", "--token TOKEN", "--json", "-h, --help", "--config FILE", "$BULWARK_ADMIN_URL", "$BULWARK_ADMIN_TOKEN" })
            Assert.Contains(option, text);
        Assert.Contains("exit codes: 0 done, 1 refused by the node or node unreachable, 2 bad usage", text);
    }

    [Fact]
    public void Help_of_a_group_lists_its_subcommands()
    {
        var text = Assert.IsType<ShowText>(Parse("queue", "--help")).Text;
        Assert.StartsWith("usage: bulwark queue SUBCOMMAND [options]\n", text);
        foreach (var subcommand in new[] { "list", "stats", "flush", "retry ID", "dead", "requeue ID" })
            Assert.Matches($@"(?m)^  {subcommand}\s{{2,}}\S", text);
        Assert.Contains("--admin URL", text);
    }

    [Fact]
    public void Help_of_a_command_lists_its_arguments_and_options()
    {
        var text = Assert.IsType<ShowText>(Parse("block", "--help")).Text;
        Assert.StartsWith("usage: bulwark block IP [--minutes N] [--reason TEXT] [options]\n", text);
        Assert.Matches(@"(?m)^  IP\s+an IPv4 address", text);
        Assert.Matches(@"(?m)^  --minutes N\s+how long, in minutes \(default: 60\)", text);
        Assert.Matches(@"(?m)^  --json\s+print the node's JSON", text);
    }

    [Fact]
    public void Help_after_a_leaf_with_its_argument_missing_is_still_help() =>
        Assert.StartsWith("usage: bulwark queue retry ID", Assert.IsType<ShowText>(Parse("queue", "retry", "--help")).Text);

    [Fact]
    public void Version_prints_the_version() =>
        Assert.Matches(@"^\d+\.\d+", Assert.IsType<ShowText>(Parse("--version")).Text);

    [Theory]
    [InlineData("block", "blocks", 1)]
    [InlineData("lst", "list", 1)]
    [InlineData("", "abc", 3)]
    [InlineData("kitten", "sitting", 3)]
    public void Distance_counts_edits(string a, string b, int expected) =>
        Assert.Equal(expected, CliParser.Distance(a, b));
}
