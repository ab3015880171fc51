using Bulwark.EndToEnd.Tests.Infrastructure;
using Bulwark.Tests.Shared;

namespace Bulwark.EndToEnd.Tests;

/// <summary>A real DNS server (dnsmasq, with unbound for SERVFAIL) on loopback serving the
/// zones, and a node that treats loopback clients as internet clients.</summary>
public sealed class DnsAuthorityFixture : IAsyncLifetime
{
    public const string Good = "127.0.0.20";   // PTR confirmed, authorised by pass.test
    public const string Liar = "127.0.0.21";   // PTR names a host that is not this IP

    public LoopbackDns Dns { get; } = new LoopbackDns()
        .Txt("pass.test", $"v=spf1 ip4:{Good} ip4:{Liar} -all").Mx("pass.test", "mx.pass.test").Host("mx.pass.test", "127.0.0.99")
        .Txt("fail.test", "v=spf1 -all").Mx("fail.test", "mx.pass.test")
        .Txt("softfail.test", "v=spf1 ~all").Mx("softfail.test", "mx.pass.test")
        .Txt("include.test", "v=spf1 include:pass.test -all").Mx("include.test", "mx.pass.test")
        .Txt("redirect.test", "v=spf1 redirect=pass.test").Mx("redirect.test", "mx.pass.test")
        .Txt("broken.test", "v=spf1 ip4:not-an-address -all").Mx("broken.test", "mx.pass.test")
        .NullMx("nullmx.test")
        .Host("client20.pass.test", Good)
        .Ptr(Liar, "liar.pass.test").Host("liar.pass.test", "127.0.0.98");

    public BulwarkNode Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Dns.Start();
        Node = await BulwarkNode.StartAsync(Overrides(Dns, "record", reputation: false));
    }

    public static Dictionary<string, string> Overrides(LoopbackDns dns, string iprev, bool reputation) => new()
    {
        ["BULWARK_Dns__NameServers"] = dns.NameServer,
        ["BULWARK_Dns__TrustedNetworks"] = "",
        ["BULWARK_Dns__TimeoutSeconds"] = "1",
        ["BULWARK_Dns__Retries"] = "0",
        ["BULWARK_Dns__Iprev"] = iprev,
        ["BULWARK_Reputation__Enabled"] = reputation ? "true" : "false",
        ["BULWARK_Reputation__StrikeThreshold"] = "2",
    };

    public Task DisposeAsync()
    {
        Node.Dispose();
        Dns.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class DnsAuthorityTests(DnsAuthorityFixture fixture) : IClassFixture<DnsAuthorityFixture>
{
    private async Task<string?> MailFromAsync(string sender, string source = DnsAuthorityFixture.Good, int? port = null)
    {
        using var client = await RawSmtpClient.ConnectAsync(port ?? fixture.Node.SmtpPort, source);
        var greeting = await client.ReadReplyAsync();
        if (greeting?.StartsWith("220") != true) return greeting;
        await client.CommandAsync("EHLO client20.pass.test");
        return await client.CommandAsync($"MAIL FROM:<{sender}>");
    }

    [Theory]
    [InlineData("user@pass.test", "250 2.1.0")]
    [InlineData("user@include.test", "250 2.1.0")]
    [InlineData("user@redirect.test", "250 2.1.0")]
    [InlineData("user@softfail.test", "250 2.1.0")]
    [InlineData("user@fail.test", "550 5.7.23")]
    [InlineData("user@broken.test", "550 5.7.24")]
    [InlineData("user@nullmx.test", "550 5.7.27")]
    [InlineData("user@nonexistent.test", "550 5.1.8")]
    [InlineData("user@timeout.test", "451 4.")]
    [InlineData("user@servfail.test", "451 4.")]
    public async Task MAIL_FROM_is_decided_by_the_sender_domains_own_zone(string sender, string expected)
    {
        var reply = await MailFromAsync(sender);
        Assert.StartsWith(expected, reply);
    }

    [Fact]
    public async Task A_DNS_failure_never_gives_a_5xx_nor_an_accept()
    {
        foreach (var sender in new[] { "a@timeout.test", "b@servfail.test", "c@sub.timeout.test" })
        {
            var reply = await MailFromAsync(sender);
            Assert.Matches("^4[0-9][0-9] 4\\.", reply);
        }
    }

    [Fact]
    public async Task Accepted_mail_carries_our_Authentication_Results_and_a_forged_one_is_removed()
    {
        var subject = "auth-results-" + Guid.NewGuid();
        using (var client = await RawSmtpClient.ConnectAsync(fixture.Node.SmtpPort, DnsAuthorityFixture.Good))
        {
            await client.ReadReplyAsync();
            await client.CommandAsync("EHLO client20.pass.test");
            Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<user@softfail.test>"));
            Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<alice@example.test>"));
            await client.CommandAsync("DATA");
            await client.SendAsync($"Authentication-Results: mx.example.test; spf=pass smtp.mailfrom=forged@bank.test\r\nAuthentication-Results: elsewhere.test; spf=pass\r\nFrom: user@softfail.test\r\nSubject: {subject}\r\n\r\nbody\r\n.\r\n");
            Assert.StartsWith("250 2.0.0 queued as", await client.ReadReplyAsync());
        }

        var message = await MaildirMessageAsync("alice", subject);
        Assert.Contains("Authentication-Results: mx.example.test; spf=softfail smtp.mailfrom=user@softfail.test; iprev=pass policy.iprev=127.0.0.20 (client20.pass.test)", OurResults(message));
        Assert.DoesNotContain("forged@bank.test", message);
        Assert.Contains("Authentication-Results: elsewhere.test; spf=pass", message);
    }

    [Fact]
    public async Task Reverse_DNS_that_does_not_confirm_is_recorded_as_iprev_fail()
    {
        var subject = "iprev-fail-" + Guid.NewGuid();
        using (var client = await RawSmtpClient.ConnectAsync(fixture.Node.SmtpPort, DnsAuthorityFixture.Liar))
        {
            await client.ReadReplyAsync();
            await client.CommandAsync("EHLO liar.pass.test");
            Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<user@pass.test>"));
            Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<bob@example.test>"));
            await client.CommandAsync("DATA");
            await client.SendAsync($"From: user@pass.test\r\nSubject: {subject}\r\n\r\nbody\r\n.\r\n");
            Assert.StartsWith("250", await client.ReadReplyAsync());
        }
        var message = await MaildirMessageAsync("bob", subject);
        Assert.Contains("spf=pass smtp.mailfrom=user@pass.test; iprev=fail policy.iprev=127.0.0.21", OurResults(message));
    }

    private Task<string> MaildirMessageAsync(string user, string subject) => DeliveredMail.WaitAsync(fixture.Node, user, subject);

    private static string OurResults(string message) => DeliveredMail.AuthenticationResults(message);
}
