using System.Text;
using Bulwark.EndToEnd.Tests.Infrastructure;
using Bulwark.Tests.Shared;

namespace Bulwark.EndToEnd.Tests;

/// <summary>Keys published by a real DNS server on loopback, messages signed by python3-dkim,
/// and a real node that verifies them and says so in Authentication-Results.</summary>
public sealed class DkimFixture : IAsyncLifetime
{
    public const string Client = "127.0.0.20";

    public DkimTools Tools { get; } = new();
    public LoopbackDns Dns { get; private set; } = null!;
    public DkimTools.Key Key { get; private set; } = null!;
    public BulwarkNode Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Key = Tools.NewKey("e2e");
        Dns = new LoopbackDns()
            .Txt("pass.test", $"v=spf1 ip4:{Client} -all").Mx("pass.test", "mx.pass.test").Host("mx.pass.test", "127.0.0.99")
            .Host("client20.pass.test", Client)
            // A 2048-bit key is longer than one 255-byte string: published as several, as zones do.
            .Txt("sel._domainkey.signer.test", Chunks(Key.Record))
            .Start();
        Node = await BulwarkNode.StartAsync(DnsAuthorityFixture.Overrides(Dns, "record", reputation: false));
    }

    private static string[] Chunks(string record) => record.Chunk(200).Select(c => new string(c)).ToArray();

    public Task DisposeAsync()
    {
        Node.Dispose();
        Dns.Dispose();
        Tools.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class DkimTests(DkimFixture fixture) : IClassFixture<DkimFixture>
{
    private static byte[] Message(string subject, string from = "alice@signer.test") => Encoding.ASCII.GetBytes(
        $"From: Alice <{from}>\r\nTo: bob@example.test\r\nSubject: {subject}\r\nDate: Fri, 04 Dec 2026 04:00:00 +0000\r\n" +
        $"Message-ID: <{subject}@signer.test>\r\n\r\nHello there.\r\n");

    private async Task<string> SendAsync(byte[] message, string subject)
    {
        using (var client = await RawSmtpClient.ConnectAsync(fixture.Node.SmtpPort, DkimFixture.Client))
        {
            await client.ReadReplyAsync();
            await client.CommandAsync("EHLO client20.pass.test");
            Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<user@pass.test>"));
            Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<bob@example.test>"));
            Assert.StartsWith("354", await client.CommandAsync("DATA"));
            await client.SendAsync(Encoding.ASCII.GetString(message) + ".\r\n");
            Assert.StartsWith("250 2.0.0 queued as", await client.ReadReplyAsync());
        }
        return DeliveredMail.AuthenticationResults(await DeliveredMail.WaitAsync(fixture.Node, "bob", subject));
    }

    [Fact]
    public async Task A_valid_signature_is_recorded_as_dkim_pass_with_its_domain_selector_and_algorithm()
    {
        var subject = "dkim-pass-" + Guid.NewGuid();
        var results = await SendAsync(fixture.Tools.Sign(Message(subject), "sel", "signer.test", fixture.Key), subject);

        Assert.Contains("dkim=pass header.d=signer.test header.s=sel header.a=rsa-sha256", results);
        Assert.Contains("spf=pass smtp.mailfrom=user@pass.test", results);
    }

    [Fact]
    public async Task A_message_changed_after_signing_is_recorded_as_dkim_fail_and_still_delivered()
    {
        var subject = "dkim-fail-" + Guid.NewGuid();
        var signed = Encoding.ASCII.GetString(fixture.Tools.Sign(Message(subject), "sel", "signer.test", fixture.Key)).Replace("Hello there.", "Hello, changed.");

        var results = await SendAsync(Encoding.ASCII.GetBytes(signed), subject);

        Assert.Contains("dkim=fail header.d=signer.test header.s=sel header.a=rsa-sha256", results);
        Assert.Contains("(body hash did not verify)", results);
    }

    [Fact]
    public async Task A_key_whose_dns_times_out_is_a_temperror_not_a_refusal()
    {
        var subject = "dkim-temperror-" + Guid.NewGuid();
        var results = await SendAsync(fixture.Tools.Sign(Message(subject), "sel", LoopbackDns.TimeoutZone, fixture.Key), subject);

        Assert.Contains($"dkim=temperror", results);
        Assert.Contains($"header.d={LoopbackDns.TimeoutZone}", results);
    }

    [Fact]
    public async Task A_missing_key_is_a_permerror()
    {
        var subject = "dkim-nokey-" + Guid.NewGuid();
        var results = await SendAsync(fixture.Tools.Sign(Message(subject), "nosuch", "signer.test", fixture.Key), subject);

        Assert.Contains("dkim=permerror", results);
        Assert.Contains("header.s=nosuch", results);
    }
}
