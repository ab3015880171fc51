using Bulwark.EndToEnd.Tests.Infrastructure;
using MailKit.Net.Smtp;
using MimeKit;

namespace Bulwark.EndToEnd.Tests;

[Collection("relaying node")]
public sealed class DeliveryTests(RelayingNodeFixture fixture)
{
    [Fact]
    public async Task Mail_sent_with_MailKit_is_queued_and_reaches_the_next_hop_with_a_Received_header()
    {
        var before = fixture.Sink.Messages().Count;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("sender@remote.test"));
        message.To.Add(MailboxAddress.Parse("alice@example.test"));
        message.Subject = "mailkit-delivery-" + Guid.NewGuid();
        message.Body = new TextPart("plain") { Text = "hello from MailKit" };

        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", fixture.Node.SmtpPort, MailKit.Security.SecureSocketOptions.None);
        var response = await client.SendAsync(message);
        await client.DisconnectAsync(true);

        Assert.Matches("^2.0.0 queued as [0-9A-Z]+$", response);
        var dumps = await fixture.Sink.WaitForMessagesAsync(before + 1, TimeSpan.FromSeconds(20));
        var dump = Assert.Single(dumps, d => d.Contains(message.Subject));
        Assert.Contains("X-Rcpt-Args: <alice@example.test>", dump);
        Assert.Contains("Received: from ", dump);
        Assert.Contains("by mx.example.test (Bulwark) with ESMTP id", dump);
        Assert.Contains("hello from MailKit", dump);
    }

    [Fact]
    public async Task Mail_sent_with_swaks_is_delivered_to_the_next_hop()
    {
        var before = fixture.Sink.Messages().Count;
        var tag = "swaks-" + Guid.NewGuid();
        var (exit, output) = await ProcessRunner.RunAsync("swaks", [
            "--server", $"127.0.0.1:{fixture.Node.SmtpPort}", "--from", "sender@remote.test", "--to", "bob@example.test",
            "--header", $"Subject: {tag}", "--body", "hello from swaks"], TimeSpan.FromSeconds(30));

        Assert.True(exit == 0, output);
        Assert.Matches("<-  250 2.0.0 queued as [0-9A-Z]+", output);
        var dumps = await fixture.Sink.WaitForMessagesAsync(before + 1, TimeSpan.FromSeconds(20));
        Assert.Contains(dumps, d => d.Contains(tag) && d.Contains("X-Rcpt-Args: <bob@example.test>"));
    }

    [Fact]
    public async Task Postmaster_without_a_domain_and_the_null_sender_are_accepted()
    {
        using var client = await RawSmtpClient.ConnectAsync(fixture.Node.SmtpPort);
        Assert.StartsWith("220 ", await client.ReadReplyAsync());
        Assert.StartsWith("250", await client.CommandAsync("EHLO client.test"));
        Assert.Equal("250 2.1.0 sender OK", await client.CommandAsync("MAIL FROM:<>"));
        Assert.Equal("250 2.1.5 recipient OK", await client.CommandAsync("RCPT TO:<Postmaster>"));
        Assert.Equal("221 2.0.0 bye", await client.CommandAsync("QUIT"));
    }
}
