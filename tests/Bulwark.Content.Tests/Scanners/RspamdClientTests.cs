using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Bulwark.Content.Scanners;
using Bulwark.Policy.Content;

namespace Bulwark.Content.Tests.Scanners;

/// <summary>RspamdClient against a real rspamd (Debian's package, offline configuration).</summary>
public sealed class RspamdClientTests(RspamdFixture fixture) : IClassFixture<RspamdFixture>
{
    private RspamdClient Client() => new(fixture.Server.Url, TimeSpan.FromSeconds(10));

    private static async Task<SpamScan> Scan(RspamdClient client, byte[] message, string spf = "pass") =>
        await client.ScanAsync(new MemoryStream(message), TestMessages.Context(spf));

    [Fact]
    public async Task Gtube_gives_reject()
    {
        using var client = Client();
        var scan = await Scan(client, TestMessages.Gtube);
        Assert.Equal(ScanStatus.Done, scan.Status);
        Assert.Equal("reject", scan.Action);
        Assert.Contains("GTUBE", scan.Symbols!);
        Assert.True(scan.Score >= scan.RequiredScore);
    }

    [Fact]
    public async Task Clean_mail_gives_no_action()
    {
        using var client = Client();
        var scan = await Scan(client, TestMessages.Clean);
        Assert.Equal(ScanStatus.Done, scan.Status);
        Assert.Equal("no action", scan.Action);
        Assert.True(scan.Score < scan.RequiredScore);
        Assert.True(scan.RequiredScore > 0);
    }

    [Theory]
    [InlineData("fail", "R_SPF_FAIL")]
    [InlineData("pass", "R_SPF_ALLOW")]
    [InlineData("softfail", "R_SPF_SOFTFAIL")]
    public async Task The_spf_result_reaches_rspamd(string spf, string symbol)
    {
        using var client = Client();
        var scan = await Scan(client, TestMessages.Clean, spf);
        Assert.Equal(ScanStatus.Done, scan.Status);
        Assert.Contains(symbol, scan.Symbols!);
    }

    [Fact]
    public async Task The_envelope_reaches_rspamd()
    {
        using var client = Client();
        var context = TestMessages.Context();
        Assert.Equal(ScanStatus.Done, (await client.ScanAsync(new MemoryStream(TestMessages.Clean), context)).Status);
        // rspamd's task log line names the queue id, the client and each envelope recipient.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        string? line = null;
        while (line is null && DateTime.UtcNow < deadline)
        {
            line = ReadLog().FirstOrDefault(l => l.Contains($"qid: <{context.QueueId}>", StringComparison.Ordinal));
            if (line is null) await Task.Delay(100);
        }
        Assert.NotNull(line);
        Assert.Contains("ip: 192.0.2.10", line);
        Assert.Contains("from: <alice@example.com>", line);
        Assert.Contains("rcpts: <bob@example.org,carol@example.org>", line);
    }

    [Fact]
    public async Task Ping_answers_pong()
    {
        using var client = Client();
        Assert.True(await client.PingAsync());
    }

    [Fact]
    public async Task A_non_2xx_answer_is_unavailable()
    {
        // The real rspamd, asked for a path it does not serve.
        using var client = new RspamdClient(fixture.Server.Url + "/no/such/prefix", TimeSpan.FromSeconds(5));
        var scan = await Scan(client, TestMessages.Clean);
        Assert.Equal(ScanStatus.Unavailable, scan.Status);
        Assert.StartsWith("rspamd answered 500", scan.Problem); // rspamd 3.4: "invalid command"
    }

    [Fact]
    public async Task A_closed_port_is_unavailable_at_once()
    {
        using var client = new RspamdClient("http://127.0.0.1:" + ClamdClientTests.ClosedPort(), TimeSpan.FromSeconds(10));
        var sw = Stopwatch.StartNew();
        var scan = await Scan(client, TestMessages.Clean);
        Assert.Equal(ScanStatus.Unavailable, scan.Status);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), sw.Elapsed.ToString());
    }

    [Fact]
    public async Task A_silent_server_times_out()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        using var client = new RspamdClient("http://127.0.0.1:" + ((IPEndPoint)silent.LocalEndpoint).Port, TimeSpan.FromMilliseconds(500));
        var sw = Stopwatch.StartNew();
        var scan = await Scan(client, TestMessages.Clean);
        Assert.Equal(ScanStatus.Unavailable, scan.Status);
        Assert.Contains("no answer within", scan.Problem);
        Assert.InRange(sw.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(5));
    }

    private IEnumerable<string> ReadLog()
    {
        using var fs = new FileStream(fixture.Server.LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(fs);
        return reader.ReadToEnd().Split('\n');
    }
}
