using Bulwark.Node.Admin;

namespace Bulwark.Node.Tests;

public class AdminCliTests
{
    private static CliRequest? Parse(params string[] args)
    {
        var (positional, options) = AdminCliCommands.Split(args[1..]);
        return AdminCliCommands.Parse(args[0], positional, options);
    }

    [Theory]
    [InlineData("GET", "/admin/cluster", "cluster")]
    [InlineData("GET", "/admin/shards", "shards")]
    [InlineData("GET", "/admin/blocks", "blocks")]
    [InlineData("GET", "/admin/ip/2001%3Adb8%3A%3A1", "ip-status", "2001:db8::1")]
    [InlineData("POST", "/admin/blocks/127.0.0.9?minutes=30&reason=spam%20run", "block", "127.0.0.9", "--minutes", "30", "--reason", "spam run")]
    [InlineData("POST", "/admin/blocks/127.0.0.9?minutes=60&reason=blocked%20by%20operator", "block", "127.0.0.9")]
    [InlineData("DELETE", "/admin/blocks/127.0.0.9", "unblock", "127.0.0.9")]
    [InlineData("GET", "/admin/queue", "queue", "list")]
    [InlineData("GET", "/admin/queue/stats", "queue", "stats")]
    [InlineData("POST", "/admin/queue/flush", "queue", "flush")]
    [InlineData("POST", "/admin/queue/Q1/retry", "queue", "retry", "Q1")]
    [InlineData("GET", "/admin/queue/dead", "queue", "dead")]
    [InlineData("POST", "/admin/queue/dead/Q1/requeue", "queue", "requeue", "Q1")]
    [InlineData("GET", "/admin/quarantine", "quarantine", "list")]
    [InlineData("GET", "/admin/quarantine/a%2Fb", "quarantine", "show", "a/b")]
    [InlineData("POST", "/admin/quarantine/X/release", "quarantine", "release", "X")]
    [InlineData("DELETE", "/admin/quarantine/X", "quarantine", "delete", "X")]
    public void Commands_map_to_one_request(string method, string path, params string[] args)
    {
        var request = Parse(args);
        Assert.NotNull(request);
        Assert.Equal(method, request.Method.Method);
        Assert.Equal(path, request.Path);
    }

    [Theory]
    [InlineData("block")]
    [InlineData("unblock", "a", "b")]
    [InlineData("queue")]
    [InlineData("queue", "retry")]
    [InlineData("quarantine", "show")]
    [InlineData("cluster", "extra")]
    public void Incomplete_or_extra_arguments_are_usage_errors(params string[] args) =>
        Assert.Null(Parse(args));

    [Fact]
    public void Options_are_separated_from_words_and_json_is_a_flag()
    {
        var (positional, options) = AdminCliCommands.Split(["list", "--json", "--admin", "http://x:1", "--token", "t"]);
        Assert.Equal(["list"], positional);
        Assert.Equal("true", options["json"]);
        Assert.Equal("http://x:1", options["admin"]);
        Assert.Equal("t", options["token"]);
    }

    [Fact]
    public void Blocks_render_as_an_aligned_table()
    {
        var text = AdminCliOutput.Render(CliView.Blocks,
            """[{"ip":"127.0.0.2","until":"2026-11-27T03:00:00+00:00","reason":"5 strikes"},{"ip":"2001:db8::/64","until":"2026-11-27T04:00:00+00:00","reason":"operator\nline"}]""");
        var lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^IP\s+UNTIL\s+REASON$", lines[0]);
        Assert.Equal(lines[1].IndexOf("2026", StringComparison.Ordinal), lines[2].IndexOf("2026", StringComparison.Ordinal));
        Assert.EndsWith("operator line", lines[2]);
    }

    [Fact]
    public void Empty_listings_say_so() =>
        Assert.Equal("no blocked IPs\n", AdminCliOutput.Render(CliView.Blocks, "[]"));

    [Fact]
    public void Shards_show_errors_per_entity_type()
    {
        var text = AdminCliOutput.Render(CliView.Shards,
            """{"ip-reputation":{"akka.tcp://bulwark@127.0.0.1:4053":{"shards":3,"entities":7}},"dns-policy":{"error":"timeout"}}""");
        Assert.Matches(@"ip-reputation\s+akka.tcp://bulwark@127.0.0.1:4053\s+3\s+7", text);
        Assert.Contains("error: timeout", text);
    }
}
