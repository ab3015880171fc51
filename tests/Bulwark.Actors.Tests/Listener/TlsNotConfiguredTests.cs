using Akka.TestKit.Xunit2;

namespace Bulwark.Actors.Tests.Listener;

/// <summary>Without a certificate STARTTLS is neither offered nor accepted, and the require-TLS
/// list still refuses plain-text mail from its domains (TLS cannot be had here at all).</summary>
public sealed class TlsNotConfiguredTests : TestKit, IAsyncLifetime
{
    private TlsListenerHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new TlsListenerHost(Sys, withTls: false);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task STARTTLS_is_not_advertised_and_is_answered_502()
    {
        await using var client = await _host.ConnectAsync();
        Assert.DoesNotContain("STARTTLS", await client.EhloAsync());
        Assert.Equal("502 5.5.1 command not implemented", await client.CommandAsync("STARTTLS"));
        // Still plain text and still usable.
        await _host.SendMessageAsync(client);
    }

    [Fact]
    public async Task Require_TLS_still_refuses_listed_senders()
    {
        await using var client = await _host.ConnectAsync();
        await client.EhloAsync();
        Assert.StartsWith("530 5.7.10 ", await client.CommandAsync("MAIL FROM:<a@bank.example>"));
    }
}
