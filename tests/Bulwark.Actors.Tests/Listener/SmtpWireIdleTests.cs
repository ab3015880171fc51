using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Bulwark.Listener.Protocol;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Actors.Tests.Listener;

/// <summary>Issue #8: a wire waiting for the next command holds no buffer, in plain text and
/// under TLS, and gives its output buffer back once the replies are sent.</summary>
public sealed class SmtpWireIdleTests : IDisposable
{
    private readonly Socket _server;
    private readonly Socket _client;

    public SmtpWireIdleTests()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        _client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _client.Connect(listener.LocalEndPoint!);
        _server = listener.Accept();
    }

    private static CancellationToken Soon() => new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;

    private static async Task WaitUntilPending(ValueTask<LineRead> read)
    {
        await Task.Delay(100);
        Assert.False(read.IsCompleted);
    }

    [Fact]
    public async Task A_wire_waiting_for_a_command_holds_no_input_buffer()
    {
        var wire = new SmtpWire(_server);
        var read = wire.ReadLineAsync(512, Soon());
        await WaitUntilPending(read);
        Assert.False(wire.HoldsInputBuffer);

        await _client.SendAsync("EHLO client.test\r\n"u8.ToArray());
        var line = await read;
        Assert.Equal("EHLO client.test", line.Line);

        var next = wire.ReadLineAsync(512, Soon());
        await WaitUntilPending(next);
        Assert.False(wire.HoldsInputBuffer);
        await _client.SendAsync("QUIT\r\n"u8.ToArray());
        Assert.Equal("QUIT", (await next).Line);
    }

    [Fact]
    public async Task Half_a_line_keeps_the_buffer_until_its_end_arrives()
    {
        var wire = new SmtpWire(_server);
        await _client.SendAsync("MAIL FROM:<a@"u8.ToArray());
        var read = wire.ReadLineAsync(512, Soon());
        await WaitUntilPending(read);
        Assert.True(wire.HoldsInputBuffer);
        await _client.SendAsync("b.test>\r\nRCPT TO:<c@d.test>\r\n"u8.ToArray());
        Assert.Equal("MAIL FROM:<a@b.test>", (await read).Line);
        Assert.True(wire.HasBufferedLine);
        Assert.Equal("RCPT TO:<c@d.test>", (await wire.ReadLineAsync(512, Soon())).Line);
        Assert.False(wire.HasBufferedLine);
    }

    [Fact]
    public async Task A_client_closing_while_the_wire_idles_is_end_of_stream()
    {
        var wire = new SmtpWire(_server);
        var read = wire.ReadLineAsync(512, Soon());
        await WaitUntilPending(read);
        _client.Shutdown(SocketShutdown.Send);
        var line = await read;
        Assert.True(line.EndOfStream);
        Assert.False(wire.HoldsInputBuffer);
    }

    [Fact]
    public async Task An_idle_wait_is_cancelled_by_its_token()
    {
        var wire = new SmtpWire(_server);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await wire.ReadLineAsync(512, timeout.Token));
    }

    [Fact]
    public async Task Replies_larger_than_the_first_rented_buffer_go_out_whole_and_the_buffer_goes_back()
    {
        var wire = new SmtpWire(_server);
        var lines = Enumerable.Range(0, 40).Select(i => $"EXTENSION-{i:D2} {new string('x', 30)}").ToList();
        wire.EnqueueMultiline(250, lines);
        wire.Enqueue(new SmtpReply(221, "2.0.0", "bye"));
        Assert.True(wire.HoldsOutputBuffer);
        await wire.FlushAsync(Soon());
        Assert.False(wire.HoldsOutputBuffer);
        _server.Shutdown(SocketShutdown.Send);

        var received = new MemoryStream();
        var chunk = new byte[4096];
        int n;
        while ((n = await _client.ReceiveAsync(chunk)) > 0) received.Write(chunk, 0, n);
        var text = Encoding.ASCII.GetString(received.ToArray());
        var expected = string.Concat(lines.Select((l, i) => $"250{(i == lines.Count - 1 ? ' ' : '-')}{l}\r\n")) + "221 2.0.0 bye\r\n";
        Assert.Equal(expected, text);
    }

    [Fact]
    public async Task Under_TLS_a_wire_waiting_for_a_command_holds_no_input_buffer()
    {
        using var certificate = TlsTestCertificates.Create();
        var serverTls = new SslStream(new NetworkStream(_server, ownsSocket: false));
        var clientTls = new SslStream(new NetworkStream(_client, ownsSocket: false), false, (_, _, _, _) => true);
        await Task.WhenAll(
            serverTls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, Soon()),
            clientTls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "mx.test" }, Soon()));
        var wire = new SmtpWire(_server);
        wire.SwitchTo(serverTls);

        var read = wire.ReadLineAsync(512, Soon());
        await WaitUntilPending(read);
        Assert.False(wire.HoldsInputBuffer);
        await clientTls.WriteAsync("EHLO tls.test\r\nNOOP\r\n"u8.ToArray());
        Assert.Equal("EHLO tls.test", (await read).Line);
        Assert.Equal("NOOP", (await wire.ReadLineAsync(512, Soon())).Line);

        var idle = wire.ReadLineAsync(512, Soon());
        await WaitUntilPending(idle);
        Assert.False(wire.HoldsInputBuffer);
        await clientTls.WriteAsync("QUIT\r\n"u8.ToArray());
        Assert.Equal("QUIT", (await idle).Line);
        await clientTls.DisposeAsync();
        await serverTls.DisposeAsync();
    }

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
    }
}
