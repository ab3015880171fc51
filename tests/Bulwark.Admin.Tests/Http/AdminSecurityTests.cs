using System.Net;
using Bulwark.Admin.Http;

namespace Bulwark.Admin.Tests.Http;

public class AdminSecurityTests
{
    private const string Token = "0123456789abcdef01234567";
    private static readonly AdminSettings LoopbackNoToken = new(IPAddress.Loopback, 8025);
    private static readonly AdminSettings LoopbackToken = new(IPAddress.Loopback, 8025, Token);
    private static readonly AdminSettings Public = new(IPAddress.Parse("192.0.2.10"), 8025, Token);

    private static int Status(AdminSettings s, string method, string path, string? host = "127.0.0.1:8025", string? origin = null, string? auth = null) =>
        AdminSecurity.Check(s, method, path, host, origin, auth).Status;

    [Theory]
    [InlineData("127.0.0.1:8025")]
    [InlineData("localhost:8025")]
    [InlineData("127.0.0.2")]
    [InlineData("[::1]:8025")]
    public void Loopback_hosts_are_served_on_a_loopback_port(string host) =>
        Assert.Equal(0, Status(LoopbackNoToken, "GET", "/api/dashboard", host));

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:8025")]
    [InlineData("192.0.2.1:8025")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("[::1")]
    public void Other_hosts_are_refused_on_a_loopback_port_against_DNS_rebinding(string? host) =>
        Assert.Equal(403, Status(LoopbackNoToken, "GET", "/api/dashboard", host));

    [Fact]
    public void Without_a_token_on_loopback_state_changes_are_allowed() =>
        Assert.Equal(0, Status(LoopbackNoToken, "DELETE", "/admin/blocks/127.0.0.9"));

    [Theory]
    [InlineData(null, 401)]
    [InlineData("Bearer wrong", 401)]
    [InlineData("Basic " + Token, 401)]
    [InlineData("Bearer " + Token, 0)]
    [InlineData("bearer " + Token, 0)]
    public void With_a_token_every_state_change_needs_it(string? authorization, int expected)
    {
        Assert.Equal(expected, Status(LoopbackToken, "DELETE", "/admin/blocks/127.0.0.9", auth: authorization));
        Assert.Equal(expected, Status(LoopbackToken, "POST", "/admin/queue/flush", auth: authorization));
    }

    [Fact]
    public void On_loopback_reads_are_open_even_with_a_token() =>
        Assert.Equal(0, Status(LoopbackToken, "GET", "/admin/blocks"));

    [Theory]
    [InlineData("/admin/blocks")]
    [InlineData("/api/dashboard")]
    [InlineData("/admin/quarantine/abc")]
    public void Off_loopback_every_read_of_data_needs_the_token(string path)
    {
        Assert.Equal(401, Status(Public, "GET", path, "mx1.example:8025"));
        Assert.Equal(0, Status(Public, "GET", path, "mx1.example:8025", auth: "Bearer " + Token));
    }

    [Theory]
    [InlineData("/metrics")]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/")]
    public void Probes_scrapers_and_the_page_need_no_token(string path) =>
        Assert.Equal(0, Status(Public, "GET", path, "mx1.example:8025"));

    [Fact]
    public void A_state_change_on_an_open_path_still_needs_the_token() =>
        Assert.Equal(401, Status(Public, "POST", "/metrics", "mx1.example:8025"));

    [Theory]
    [InlineData("http://evil.example", 403)]
    [InlineData("null", 403)]
    [InlineData("http://127.0.0.1:8025", 0)]
    public void Cross_origin_state_changes_are_refused_even_with_the_token(string origin, int expected) =>
        Assert.Equal(expected, Status(LoopbackToken, "DELETE", "/admin/blocks/127.0.0.9", origin: origin, auth: "Bearer " + Token));
}
