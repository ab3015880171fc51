using System.Security.Authentication;
using Akka.TestKit.Xunit2;

namespace Bulwark.Actors.Tests.Listener;

/// <summary>STARTTLS on a real listener over loopback (RFC 3207).</summary>
public sealed class TlsListenerTests : TestKit, IAsyncLifetime
{
    private TlsListenerHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new TlsListenerHost(Sys, withTls: true);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_message_over_STARTTLS_with_TLS_1_3_is_accepted_and_its_Received_header_says_ESMTPS()
    {
        await using var client = await _host.ConnectAsync();
        Assert.Contains("STARTTLS", await client.EhloAsync());
        await client.StartTlsAsync(SslProtocols.Tls13, _host.First!.Thumbprint);
        Assert.Equal(SslProtocols.Tls13, client.Tls!.SslProtocol);
        await client.EhloAsync();
        var stored = await _host.SendMessageAsync(client);
        Assert.Contains("by mx.test (Bulwark) with ESMTPS id ", stored);
        Assert.Contains($"(using TLSv1.3 with cipher {client.Tls.NegotiatedCipherSuite})", stored);
        Assert.Equal("221 2.0.0 bye", await client.CommandAsync("QUIT"));
    }

    [Fact]
    public async Task A_client_limited_to_TLS_1_2_is_served_too()
    {
        await using var client = await _host.ConnectAsync();
        await client.EhloAsync();
        await client.StartTlsAsync(SslProtocols.Tls12, _host.First!.Thumbprint);
        Assert.Equal(SslProtocols.Tls12, client.Tls!.SslProtocol);
        await client.EhloAsync();
        var stored = await _host.SendMessageAsync(client);
        Assert.Contains("(using TLSv1.2 with cipher ", stored);
        Assert.Contains("with ESMTPS id ", stored);
    }

    [Fact]
    public async Task A_plain_text_message_keeps_with_ESMTP_and_no_TLS_comment()
    {
        await using var client = await _host.ConnectAsync();
        await client.EhloAsync();
        var stored = await _host.SendMessageAsync(client);
        Assert.Contains("by mx.test (Bulwark) with ESMTP id ", stored);
        Assert.DoesNotContain("using TLS", stored);
    }

    [Fact]
    public async Task After_STARTTLS_the_session_starts_over_and_EHLO_no_longer_offers_STARTTLS()
    {
        await using var client = await _host.ConnectAsync();
        await client.EhloAsync();
        await client.StartTlsAsync();
        // RFC 3207 section 4.2: the EHLO from before the handshake is forgotten.
        Assert.Equal("503 5.5.1 send HELO or EHLO first", await client.CommandAsync("MAIL FROM:<a@remote.test>"));
        var keywords = await client.EhloAsync();
        Assert.DoesNotContain("STARTTLS", keywords);
        Assert.Contains("PIPELINING", keywords);
        Assert.Equal("503 5.5.1 TLS already active", await client.CommandAsync("STARTTLS"));
        await _host.SendMessageAsync(client);
    }

    [Fact]
    public async Task STARTTLS_with_a_parameter_or_inside_a_transaction_is_refused_and_the_session_stays_plain()
    {
        await using var client = await _host.ConnectAsync();
        await client.EhloAsync();
        Assert.Equal("501 5.5.4 STARTTLS takes no parameters", await client.CommandAsync("STARTTLS now"));
        Assert.Equal("250 2.1.0 sender OK", await client.CommandAsync("MAIL FROM:<a@remote.test>"));
        Assert.StartsWith("503 5.5.1 ", await client.CommandAsync("STARTTLS"));
        Assert.Equal("250 2.0.0 reset", await client.CommandAsync("RSET"));
        await client.StartTlsAsync();
    }

    [Fact]
    public async Task Plain_text_mail_from_a_require_TLS_domain_gets_530_and_the_same_sender_passes_after_STARTTLS()
    {
        await using var client = await _host.ConnectAsync();
        await client.EhloAsync();
        Assert.Equal("530 5.7.10 TLS required for mail from bank.example; issue STARTTLS first",
            await client.CommandAsync("MAIL FROM:<payments@bank.example>"));
        Assert.Equal("530 5.7.10 TLS required for mail from bank.example; issue STARTTLS first",
            await client.CommandAsync("MAIL FROM:<x@eu.Bank.Example>"));
        // Other senders are not affected, and the refusal opened no transaction.
        Assert.Equal("250 2.1.0 sender OK", await client.CommandAsync("MAIL FROM:<a@notbank.example>"));
        Assert.Equal("250 2.0.0 reset", await client.CommandAsync("RSET"));
        await client.StartTlsAsync();
        await client.EhloAsync();
        await _host.SendMessageAsync(client, "payments@bank.example");
    }
}
