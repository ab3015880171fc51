using System.Net;
using System.Net.Sockets;
using Bulwark.Content.Scanners;
using Bulwark.Policy.Content;

namespace Bulwark.Content.Tests.Scanners;

/// <summary>The pure parts of both protocols: clamd's answers, rspamd's JSON, endpoints and the SPF header.</summary>
public sealed class ScannerProtocolTests
{
    [Theory]
    [InlineData("stream: OK", null)]
    [InlineData("stream: Eicar-Test-Signature.UNOFFICIAL FOUND", "Eicar-Test-Signature.UNOFFICIAL")]
    [InlineData("stream: Win.Test.EICAR_HDB-1 FOUND\n", "Win.Test.EICAR_HDB-1")]
    public void Clamd_answers_that_are_verdicts(string reply, string? signature)
    {
        var scan = ClamdClient.ParseReply(reply);
        Assert.Equal(ScanStatus.Done, scan.Status);
        Assert.Equal(signature, scan.Signature);
        Assert.Equal(signature is not null, scan.Infected);
    }

    [Theory]
    [InlineData("INSTREAM size limit exceeded. ERROR")]
    [InlineData("stream: Can't allocate memory ERROR")]
    [InlineData("")]
    [InlineData("UNKNOWN COMMAND")]
    public void Clamd_answers_that_are_not_verdicts_are_unavailable(string reply)
    {
        var scan = ClamdClient.ParseReply(reply);
        Assert.Equal(ScanStatus.Unavailable, scan.Status);
        Assert.False(scan.Infected);
        Assert.False(string.IsNullOrEmpty(scan.Problem));
    }

    [Fact]
    public void Clamd_endpoints()
    {
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 3310), ClamdClient.ParseEndpoint("127.0.0.1:3310"));
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 3310), ClamdClient.ParseEndpoint("[::1]:3310"));
        Assert.Equal(new DnsEndPoint("clamd.internal", 3310), ClamdClient.ParseEndpoint("clamd.internal:3310"));
        Assert.IsType<UnixDomainSocketEndPoint>(ClamdClient.ParseEndpoint("/run/clamav/clamd.ctl"));
        Assert.Equal("/run/c.sock", ClamdClient.ParseEndpoint("unix:/run/c.sock").ToString());
        Assert.Throws<FormatException>(() => ClamdClient.ParseEndpoint("clamd"));
        Assert.Throws<FormatException>(() => ClamdClient.ParseEndpoint("clamd:99999"));
    }

    [Fact]
    public void Rspamd_json_is_parsed_with_symbols_by_score()
    {
        var scan = RspamdReply.Parse("""
            {"is_skipped":false,"score":7.5,"required_score":15.0,"action":"add header",
             "symbols":{"A_LOW":{"name":"A_LOW","score":0.5},"B_HIGH":{"name":"B_HIGH","score":6.0},"C_NEG":{"name":"C_NEG","score":-1}}}
            """);
        Assert.Equal(ScanStatus.Done, scan.Status);
        Assert.Equal(7.5, scan.Score);
        Assert.Equal(15.0, scan.RequiredScore);
        Assert.Equal("add header", scan.Action);
        Assert.Equal(["B_HIGH", "A_LOW", "C_NEG"], scan.Symbols!);
    }

    [Fact]
    public void Skipped_is_still_a_verdict()
    {
        var scan = RspamdReply.Parse("""{"is_skipped":true,"score":15,"required_score":15,"action":"reject","symbols":{"GTUBE":{"score":0}}}""");
        Assert.Equal(ScanStatus.Done, scan.Status);
        Assert.Equal("reject", scan.Action);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"score":1}""")]
    [InlineData("""{"error":"something"}""")]
    public void Bad_rspamd_answers_are_unavailable(string json)
    {
        var scan = RspamdReply.Parse(json);
        Assert.Equal(ScanStatus.Unavailable, scan.Status);
        Assert.NotNull(scan.Problem);
    }

    [Theory]
    [InlineData("pass", """{"result":"pass"}""")]
    [InlineData("Fail", """{"result":"fail"}""")]
    [InlineData("softfail", """{"result":"softfail"}""")]
    [InlineData("neutral", """{"result":"neutral"}""")]
    [InlineData("none", """{"result":"na"}""")]
    [InlineData("permerror", """{"result":"permfail"}""")]
    [InlineData("temperror", """{"result":"tempfail"}""")]
    [InlineData("bogus", null)]
    [InlineData(null, null)]
    public void Spf_results_map_to_rspamds_http_headers_vocabulary(string? spf, string? header) =>
        Assert.Equal(header, RspamdRequest.SpfHeaderValue(spf));

    [Fact]
    public void Request_headers_carry_the_envelope()
    {
        using var request = new HttpRequestMessage();
        RspamdRequest.AddHeaders(request.Headers, new ScanContext("Q1", IPAddress.Parse("192.0.2.7"), "mx.example.com", "",
            ["a@example.org", "b@example.org"], "pass", null));
        Assert.Equal("192.0.2.7", request.Headers.GetValues("IP").Single());
        Assert.Equal("mx.example.com", request.Headers.GetValues("Helo").Single());
        Assert.Equal("<>", request.Headers.GetValues("From").Single());
        Assert.Equal(["a@example.org", "b@example.org"], request.Headers.GetValues("Rcpt"));
        Assert.Equal("Q1", request.Headers.GetValues("Queue-Id").Single());
        Assert.Equal("unknown", request.Headers.GetValues("Hostname").Single());
        Assert.Equal("""{"result":"pass"}""", request.Headers.GetValues("SPF").Single());
    }
}
