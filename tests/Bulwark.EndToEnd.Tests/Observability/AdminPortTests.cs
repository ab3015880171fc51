using System.Net;
using System.Net.Http.Headers;
using Bulwark.EndToEnd.Tests.Infrastructure;
using Bulwark.Tests.Shared;

namespace Bulwark.EndToEnd.Tests.Observability;

/// <summary>Health, metrics and the admin port's access rules on a real node that has a token.</summary>
public sealed class AdminPortTests
{
    private const string Token = "test-token-0123456789abcdef";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(15) };

    private static Task<BulwarkNode> StartWithTokenAsync() =>
        BulwarkNode.StartAsync(new Dictionary<string, string> { ["BULWARK_Admin__Token"] = Token });

    [Fact]
    public async Task Health_and_metrics_answer_and_count_what_the_node_did()
    {
        using var node = await StartWithTokenAsync();
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(node.AdminUrl + "/health/live")).StatusCode);
        var ready = await Http.GetAsync(node.AdminUrl + "/health/ready");
        Assert.True(ready.StatusCode == HttpStatusCode.OK, await ready.Content.ReadAsStringAsync());

        Assert.StartsWith("550 5.1.1", await RefusedRecipientAsync(node.SmtpPort, "127.0.0.61"));

        var response = await Http.GetAsync(node.AdminUrl + "/metrics");
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var metrics = await response.Content.ReadAsStringAsync();
        Assert.True(SampleValue(metrics, "bulwark_smtp_verdicts_total{phase=\"rcpt\",code=\"550\",enhanced=\"5.1.1\"}") >= 1, metrics);
        // The connection was counted by its IpReputation entity (the recipient was answered from
        // the node's copy of the directory, without an ask).
        Assert.True(SampleValue(metrics, "bulwark_entity_ask_duration_seconds_count{entity=\"ip-reputation\",outcome=\"ok\"}") >= 1, metrics);
        Assert.True(SampleValue(metrics, "bulwark_smtp_connections_total{result=\"accepted\"}") >= 1, metrics);
        Assert.Equal(1, SampleValue(metrics, "bulwark_cluster_members{status=\"up\"}"));
        Assert.True(SampleValue(metrics, "bulwark_shards{entity=\"ip-reputation\"}") >= 1, metrics);
    }

    [Fact]
    public async Task State_changes_need_the_token_and_browsers_from_elsewhere_are_refused()
    {
        using var node = await StartWithTokenAsync();
        var unblock = $"{node.AdminUrl}/admin/blocks/127.0.0.62";

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Delete, unblock, token: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Delete, unblock, token: "wrong-token-0123456789abcdef")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Delete, unblock, Token)).StatusCode);
        // Reads stay open on loopback; the dashboard page itself never needs the token.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, node.AdminUrl + "/admin/blocks", token: null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, node.AdminUrl + "/", token: null)).StatusCode);
        // DNS rebinding: a page whose name resolves to 127.0.0.1 still sends its own Host.
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, node.AdminUrl + "/api/dashboard", null, host: "evil.example")).StatusCode);
        // Cross-site request from the operator's browser, even with a token.
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Delete, unblock, Token, origin: "http://evil.example")).StatusCode);

        var (without, refusal) = await node.CliAsync("unblock", "127.0.0.62");
        Assert.Equal(1, without);
        Assert.Contains("--token", refusal);
        var (with, done) = await node.CliAsync("unblock", "127.0.0.62", "--token", Token);
        Assert.True(with == 0, done);
    }

    [Theory]
    [InlineData("0.0.0.0", "", "required when Admin:Address")]
    [InlineData("127.0.0.1", "short", "at least 24 characters")]
    public async Task A_node_refuses_to_start_with_an_unprotected_admin_port(string address, string token, string message)
    {
        using var node = new BulwarkNode(new Dictionary<string, string>
        {
            ["BULWARK_Admin__Address"] = address,
            ["BULWARK_Admin__Token"] = token,
        });
        Assert.Equal(2, await node.RunToExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Admin:Token", node.Output);
        Assert.Contains(message, node.Output);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string? token, string? host = null, string? origin = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (host is not null) request.Headers.Host = host;
        if (origin is not null) request.Headers.Add("Origin", origin);
        return await Http.SendAsync(request);
    }

    private static async Task<string?> RefusedRecipientAsync(int port, string source)
    {
        using var client = await RawSmtpClient.ConnectAsync(port, source);
        await client.ReadReplyAsync();
        await client.CommandAsync("EHLO metrics.test");
        await client.CommandAsync("MAIL FROM:<a@sender.test>");
        var reply = await client.CommandAsync("RCPT TO:<nobody-here@example.test>");
        await client.CommandAsync("QUIT");
        return reply;
    }

    /// <summary>The series' value, NaN when absent. Matched by label set, not by spelling: the
    /// exporter writes labels in name order and an unlabelled series as "name{}".</summary>
    private static double SampleValue(string metrics, string series) =>
        PrometheusSamples.Find(metrics, series) ?? double.NaN;
}
