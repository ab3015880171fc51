using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Bulwark.Content.Scanners;
using Bulwark.Policy.Content;
using Bulwark.Tests.Shared;

namespace Bulwark.Content.Tests.Scanners;

/// <summary>ClamdClient against a real clamd (ClamAV from Debian's clamav-daemon) with an EICAR-only database.</summary>
public sealed class ClamdClientTests(ClamdFixture fixture) : IClassFixture<ClamdFixture>
{
    private ClamdClient Client(int chunkSize = ClamdClient.DefaultChunkSize) => new(fixture.Server.Endpoint, TimeSpan.FromSeconds(10), chunkSize);

    private static async Task<VirusScan> Scan(ClamdClient client, byte[] message) => await client.ScanAsync(new MemoryStream(message));

    [Fact]
    public async Task Eicar_as_raw_text_is_infected()
    {
        var scan = await Scan(Client(), TestMessages.EicarRaw);
        Assert.True(scan.Infected, scan.Problem);
        Assert.StartsWith("Eicar-Test-Signature", scan.Signature);
    }

    [Fact]
    public async Task Eicar_as_text_in_a_mail_body_is_infected()
    {
        var scan = await Scan(Client(), TestMessages.EicarInBody);
        Assert.True(scan.Infected, scan.Problem);
    }

    [Fact]
    public async Task Eicar_in_a_base64_mime_attachment_is_infected()
    {
        var scan = await Scan(Client(), TestMessages.EicarAttachment());
        Assert.True(scan.Infected, scan.Problem);
    }

    [Fact]
    public async Task A_message_spanning_many_chunks_is_sent_whole()
    {
        // 200 KB of text before the attachment, 1000-byte chunks: ~200 chunks.
        var message = TestMessages.EicarAttachment(paddingBytes: 200_000);
        var scan = await Scan(Client(chunkSize: 1000), message);
        Assert.True(scan.Infected, scan.Problem);
    }

    [Fact]
    public async Task Clean_mail_is_clean()
    {
        var scan = await Scan(Client(), TestMessages.Clean);
        Assert.Equal(new VirusScan(ScanStatus.Done), scan);
        Assert.False(scan.Infected);
    }

    [Fact]
    public async Task Unix_socket_works_like_tcp()
    {
        var client = new ClamdClient(fixture.Server.SocketPath, TimeSpan.FromSeconds(10));
        Assert.True(await client.PingAsync());
        Assert.True((await Scan(client, TestMessages.EicarAttachment())).Infected);
        Assert.Equal(ScanStatus.Done, (await Scan(client, TestMessages.Clean)).Status);
    }

    [Fact]
    public async Task Ping_answers_pong()
    {
        Assert.True(await Client().PingAsync());
        Assert.False(await new ClamdClient("127.0.0.1:" + ClosedPort(), TimeSpan.FromSeconds(2)).PingAsync());
    }

    [Fact]
    public async Task Over_the_stream_limit_is_unavailable_not_clean()
    {
        using var small = new ClamdServer(streamMaxLength: "10K").Start();
        var client = new ClamdClient(small.Endpoint, TimeSpan.FromSeconds(10), chunkSize: 4096);
        var scan = await Scan(client, TestMessages.EicarAttachment(paddingBytes: 100_000));
        Assert.Equal(ScanStatus.Unavailable, scan.Status);
        Assert.StartsWith(ClamdClient.ErrorReplyPrefix, scan.Problem);
        Assert.Contains("size limit exceeded", scan.Problem);
    }

    [Fact]
    public async Task A_closed_port_is_unavailable_at_once()
    {
        var sw = Stopwatch.StartNew();
        var scan = await Scan(new ClamdClient("127.0.0.1:" + ClosedPort(), TimeSpan.FromSeconds(10)), TestMessages.Clean);
        Assert.Equal(ScanStatus.Unavailable, scan.Status);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), sw.Elapsed.ToString());
    }

    [Fact]
    public async Task A_silent_server_times_out()
    {
        // A real listener that accepts and never answers: clamd hung on a scan looks like this.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var sw = Stopwatch.StartNew();
        var scan = await Scan(new ClamdClient("127.0.0.1:" + ((IPEndPoint)silent.LocalEndpoint).Port, TimeSpan.FromMilliseconds(500)), TestMessages.Clean);
        Assert.Equal(ScanStatus.Unavailable, scan.Status);
        Assert.Contains("no answer within", scan.Problem);
        Assert.InRange(sw.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_a_scanner_failure()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var client = new ClamdClient("127.0.0.1:" + ((IPEndPoint)silent.LocalEndpoint).Port, TimeSpan.FromSeconds(30));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ScanAsync(new MemoryStream(TestMessages.Clean), cts.Token));
    }

    internal static int ClosedPort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
