using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Akka.TestKit.Xunit2;
using Bulwark.Listener.Tls;

namespace Bulwark.Actors.Tests.Listener;

/// <summary>What may not happen around the handshake: plain-text commands pipelined behind
/// STARTTLS (the CVE-2011-0411 class), a client that answers the 220 with something other than a
/// TLS handshake, and protocol versions below TLS 1.2.</summary>
public sealed class TlsInjectionTests : TestKit, IAsyncLifetime
{
    private TlsListenerHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new TlsListenerHost(Sys, withTls: true);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Commands_pipelined_after_STARTTLS_in_plain_text_are_discarded_never_answered()
    {
        await using var client = await _host.ConnectAsync();
        await client.EhloAsync();
        var discardedBefore = TlsCounters.DiscardedPlaintextBytes;
        // One write: the RSET reaches the server in the same segment as STARTTLS.
        await client.SendAsync("STARTTLS\r\nRSET\r\n");
        Assert.Equal("220 2.0.0 ready to start TLS", await client.ReadLineAsync());
        // Nothing else in plain text: no "250 reset" before the handshake...
        Assert.Empty((await client.ReadRawAsync(TimeSpan.FromMilliseconds(300)))!);
        await client.HandshakeAsync(SslProtocols.None, _host.First!.Thumbprint);
        // ...and none after it: the first reply under TLS is the one to NOOP.
        Assert.Equal("250 2.0.0 OK", await client.CommandAsync("NOOP"));
        Assert.Empty((await client.ReadRawAsync(TimeSpan.FromMilliseconds(300)))!);
        Assert.True(TlsCounters.DiscardedPlaintextBytes >= discardedBefore + "RSET\r\n".Length);
    }

    [Fact]
    public async Task A_smuggled_transaction_behind_STARTTLS_does_not_happen_under_TLS()
    {
        await using var client = await _host.ConnectAsync();
        await client.EhloAsync();
        await client.SendAsync("STARTTLS\r\nEHLO evil.test\r\nMAIL FROM:<evil@remote.test>\r\nRCPT TO:<alice@example.test>\r\n");
        Assert.Equal("220 2.0.0 ready to start TLS", await client.ReadLineAsync());
        await client.HandshakeAsync(SslProtocols.None);
        // Had the injected MAIL been kept, this would be 503 "sender already given" or "send HELO first"
        // would not come: the session is fresh, no HELO and no transaction.
        Assert.Equal("503 5.5.1 send HELO or EHLO first", await client.CommandAsync("MAIL FROM:<a@remote.test>"));
        await client.EhloAsync();
        Assert.Equal("503 5.5.1 send MAIL FROM first", await client.CommandAsync("RCPT TO:<alice@example.test>"));
    }

    [Fact]
    public async Task Plain_text_instead_of_a_handshake_closes_the_connection_without_a_reply_and_is_counted()
    {
        await using var client = await _host.ConnectAsync();
        await client.EhloAsync();
        var failedBefore = TlsCounters.HandshakesFailed;
        Assert.Equal("220 2.0.0 ready to start TLS", await client.CommandAsync("STARTTLS"));
        await client.SendAsync("RSET\r\nMAIL FROM:<a@remote.test>\r\n");
        var answer = await client.ReadRawAsync(TimeSpan.FromSeconds(5));
        // Either closed at once or, at most, a TLS alert record: never an SMTP reply.
        Assert.True(answer is null || (answer.Length > 0 && answer[0] == 0x15),
            $"unexpected answer: {Encoding.Latin1.GetString(answer ?? [])}");
        if (answer is not null) Assert.Null(await client.ReadRawAsync(TimeSpan.FromSeconds(5)));
        Assert.True(TlsCounters.HandshakesFailed > failedBefore);
    }

    [Theory]
    [InlineData(0x01)] // TLS 1.0
    [InlineData(0x02)] // TLS 1.1
    public async Task A_TLS_1_0_or_1_1_client_hello_is_refused_with_a_protocol_version_alert(byte minor)
    {
        // A hand-built ClientHello: the test does not depend on the client side's OS still being
        // willing to offer these versions.
        await using var client = await _host.ConnectAsync();
        await client.EhloAsync();
        Assert.Equal("220 2.0.0 ready to start TLS", await client.CommandAsync("STARTTLS"));
        await client.SendRawAsync(LegacyClientHello(minor));
        var answer = await client.ReadRawAsync(TimeSpan.FromSeconds(5));
        Assert.NotNull(answer);
        Assert.True(answer!.Length >= 7, $"short answer: {Convert.ToHexString(answer)}");
        Assert.Equal(0x15, answer[0]); // alert record
        Assert.Equal(2, answer[5]); // fatal
        Assert.Equal(70, answer[6]); // protocol_version
        Assert.Null(await client.ReadRawAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, TlsCertificateStore.Protocols);
    }

    private static byte[] LegacyClientHello(byte minor)
    {
        var body = new List<byte> { 0x03, minor };
        body.AddRange(new byte[32]); // random
        body.Add(0); // no session id
        body.AddRange(new byte[] { 0x00, 0x04, 0x00, 0x2f, 0x00, 0x35 }); // AES-128/256-CBC-SHA, the TLS 1.0/1.1 staples
        body.AddRange(new byte[] { 0x01, 0x00 }); // null compression only
        var handshake = new List<byte> { 0x01, 0, (byte)(body.Count >> 8), (byte)body.Count };
        handshake.AddRange(body);
        var record = new List<byte> { 0x16, 0x03, 0x01, (byte)(handshake.Count >> 8), (byte)handshake.Count };
        record.AddRange(handshake);
        return record.ToArray();
    }
}
