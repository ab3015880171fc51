using System.Net;
using System.Text;

namespace Bulwark.Cli.Tests;

/// <summary>What the CLI prints and exits with, against a fake admin API.</summary>
public class AdminCliTests
{
    /// <summary>Answers every request with one status and body, and remembers the request.</summary>
    private sealed class FakeAdminApi(HttpStatusCode status, string body, Exception? failure = null) : HttpMessageHandler
    {
        public HttpRequestMessage? Request { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Request = request;
            if (failure is not null) throw failure;
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(FakeAdminApi api, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await AdminCli.RunAsync(CliParser.Parse(args, _ => null), output, error, api);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task A_listing_prints_its_table_and_exits_0()
    {
        var api = new FakeAdminApi(HttpStatusCode.OK, """[{"ip":"127.0.0.2","until":"2026-11-27T03:00:00+00:00","reason":"5 strikes"}]""");
        var (exit, output, error) = await RunAsync(api, "blocks", "--admin", "http://127.0.0.1:9/", "--token", "t");
        Assert.Equal(0, exit);
        Assert.Matches(@"^IP\s+UNTIL\s+REASON\n127.0.0.2\s+", output);
        Assert.Equal("", error);
        Assert.Equal("http://127.0.0.1:9/admin/blocks", api.Request!.RequestUri!.ToString());
        Assert.Equal("Bearer t", api.Request.Headers.Authorization!.ToString());
    }

    [Fact]
    public async Task Json_prints_the_answer_as_the_node_sent_it()
    {
        const string body = "{\n  \"depth\": 2\n}";
        var (exit, output, _) = await RunAsync(new FakeAdminApi(HttpStatusCode.OK, body), "queue", "stats", "--json");
        Assert.Equal(0, exit);
        Assert.Equal(body, output);
    }

    [Fact]
    public async Task Without_a_token_no_authorization_is_sent()
    {
        var api = new FakeAdminApi(HttpStatusCode.OK, "[]");
        await RunAsync(api, "blocks");
        Assert.Null(api.Request!.Headers.Authorization);
        Assert.Equal("http://127.0.0.1:8025/admin/blocks", api.Request.RequestUri!.ToString());
    }

    [Fact]
    public async Task A_refusal_exits_1_with_the_status_and_reason_on_stderr()
    {
        var api = new FakeAdminApi(HttpStatusCode.BadRequest, """{"error":"'x' is not an IP address or IPv6 /64"}""");
        var (exit, output, error) = await RunAsync(api, "block", "x");
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Equal("bulwark: block failed (400): 'x' is not an IP address or IPv6 /64\n", error);
    }

    [Fact]
    public async Task Unauthorized_says_how_to_give_a_token()
    {
        var (exit, _, error) = await RunAsync(new FakeAdminApi(HttpStatusCode.Unauthorized, """{"error":"a bearer token is required"}"""), "queue", "retry", "Q1");
        Assert.Equal(1, exit);
        Assert.StartsWith("bulwark: queue retry failed (401) (give --token or set BULWARK_ADMIN_TOKEN)", error);
    }

    [Fact]
    public async Task An_unreachable_node_exits_1()
    {
        var api = new FakeAdminApi(HttpStatusCode.OK, "", new HttpRequestException("Connection refused"));
        var (exit, _, error) = await RunAsync(api, "cluster", "--admin", "http://127.0.0.1:9");
        Assert.Equal(1, exit);
        Assert.Equal("bulwark: cannot reach the admin API at http://127.0.0.1:9: Connection refused\n", error);
    }

    [Fact]
    public async Task An_answer_of_another_shape_is_printed_as_it_came()
    {
        var (exit, output, _) = await RunAsync(new FakeAdminApi(HttpStatusCode.OK, "not json"), "queue", "stats");
        Assert.Equal(0, exit);
        Assert.Equal("not json", output);
    }

    [Fact]
    public async Task Help_goes_to_stdout_and_exits_0_without_a_call()
    {
        var api = new FakeAdminApi(HttpStatusCode.OK, "");
        var (exit, output, error) = await RunAsync(api, "queue", "--help");
        Assert.Equal(0, exit);
        Assert.StartsWith("usage: bulwark queue", output);
        Assert.Equal("", error);
        Assert.Null(api.Request);
    }

    [Theory]
    [InlineData("blockz")]
    [InlineData("queue", "lst")]
    [InlineData("block")]
    [InlineData("blocks", "--bogus")]
    public async Task A_usage_error_goes_to_stderr_with_the_usage_and_exits_2(params string[] args)
    {
        var api = new FakeAdminApi(HttpStatusCode.OK, "");
        var (exit, output, error) = await RunAsync(api, args);
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.StartsWith("bulwark: ", error);
        Assert.Contains("\n\nusage: bulwark ", error);
        Assert.Null(api.Request);
    }

    [Fact]
    public async Task Running_the_node_is_not_the_clis_to_do() =>
        await Assert.ThrowsAsync<ArgumentException>(() => RunAsync(new FakeAdminApi(HttpStatusCode.OK, ""), "--config", "x.json"));
}
