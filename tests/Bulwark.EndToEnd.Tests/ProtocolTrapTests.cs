using Bulwark.EndToEnd.Tests.Infrastructure;

namespace Bulwark.EndToEnd.Tests;

/// <summary>
/// The traps DESIGN.md lists for SmtpServer 11.1.0, each tried against Bulwark's own protocol
/// layer over a real socket.
/// </summary>
[Collection("relaying node")]
public sealed class ProtocolTrapTests(RelayingNodeFixture fixture)
{
    private async Task<RawSmtpClient> GreetedAsync()
    {
        var client = await RawSmtpClient.ConnectAsync(fixture.Node.SmtpPort);
        Assert.StartsWith("220 ", await client.ReadReplyAsync());
        return client;
    }

    [Fact]
    public async Task AUTH_is_neither_offered_nor_accepted_on_port_25()
    {
        using var client = await GreetedAsync();
        var ehlo = await client.CommandAsync("EHLO client.test");
        Assert.DoesNotContain("AUTH", ehlo);
        Assert.Equal("503 5.5.1 authentication is not offered here", await client.CommandAsync("AUTH PLAIN AGFueQBhbnk="));
        Assert.Equal("250 2.1.0 sender OK", await client.CommandAsync("MAIL FROM:<a@remote.test>"));
        Assert.StartsWith("550 5.7.1", await client.CommandAsync("RCPT TO:<victim@elsewhere.test>"));
    }

    [Fact]
    public async Task Refusals_carry_exactly_code_enhanced_code_and_reason_with_no_retry_suffix()
    {
        using var client = await GreetedAsync();
        await client.CommandAsync("EHLO client.test");
        await client.CommandAsync("MAIL FROM:<a@remote.test>");
        for (var i = 0; i < 3; i++)
            Assert.Equal("550 5.1.1 no such user here", await client.CommandAsync($"RCPT TO:<nobody{i}@example.test>"));
    }

    [Fact]
    public async Task An_empty_message_does_not_hang_and_is_queued()
    {
        using var client = await GreetedAsync();
        await client.CommandAsync("EHLO client.test");
        await client.CommandAsync("MAIL FROM:<a@remote.test>");
        await client.CommandAsync("RCPT TO:<alice@example.test>");
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        Assert.Matches("^250 2.0.0 queued as [0-9A-Z]+$", await client.CommandAsync("."));
    }

    [Fact]
    public async Task A_dot_stuffed_first_line_loses_exactly_one_dot()
    {
        var marker = "dotstuff-" + Guid.NewGuid();
        var before = fixture.Sink.Messages().Count;
        using var client = await GreetedAsync();
        await client.CommandAsync("EHLO client.test");
        await client.CommandAsync("MAIL FROM:<a@remote.test>");
        await client.CommandAsync("RCPT TO:<alice@example.test>");
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        await client.SendAsync($"..first-line-{marker}\r\nSubject: {marker}\r\n\r\n..body dot\r\n...\r\n.\r\n");
        Assert.StartsWith("250 2.0.0 queued as", await client.ReadReplyAsync());

        var dumps = await fixture.Sink.WaitForMessagesAsync(before + 1, TimeSpan.FromSeconds(20));
        var dump = Assert.Single(dumps, d => d.Contains(marker + "\n") || d.Contains(marker + "\r\n"));
        Assert.Contains($"\n.first-line-{marker}", dump.Replace("\r\n", "\n"));
        Assert.DoesNotContain($"..first-line-{marker}", dump);
        Assert.Contains("\n.body dot\n..\n", dump.Replace("\r\n", "\n"));
    }

    [Fact]
    public async Task Pipelined_commands_get_their_replies_in_order()
    {
        using var client = await GreetedAsync();
        await client.CommandAsync("EHLO client.test");
        await client.SendAsync("MAIL FROM:<a@remote.test>\r\nRCPT TO:<alice@example.test>\r\nRCPT TO:<nobody@example.test>\r\nRCPT TO:<bob@example.test>\r\nDATA\r\n");
        Assert.Equal("250 2.1.0 sender OK", await client.ReadReplyAsync());
        Assert.Equal("250 2.1.5 recipient OK", await client.ReadReplyAsync());
        Assert.Equal("550 5.1.1 no such user here", await client.ReadReplyAsync());
        Assert.Equal("250 2.1.5 recipient OK", await client.ReadReplyAsync());
        Assert.StartsWith("354", await client.ReadReplyAsync());
        await client.SendAsync("Subject: pipelined\r\n\r\nbody\r\n.\r\nQUIT\r\n");
        Assert.StartsWith("250 2.0.0 queued as", await client.ReadReplyAsync());
        Assert.Equal("221 2.0.0 bye", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task A_fake_end_of_data_with_bare_line_feeds_does_not_start_a_second_transaction()
    {
        var marker = "smuggle-" + Guid.NewGuid();
        using var client = await GreetedAsync();
        await client.CommandAsync("EHLO client.test");
        await client.CommandAsync("MAIL FROM:<a@remote.test>");
        await client.CommandAsync("RCPT TO:<alice@example.test>");
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        await client.SendAsync($"Subject: outer\r\n\r\nouter\n.\nMAIL FROM:<evil@remote.test>\nRCPT TO:<bob@example.test>\nDATA\nSubject: {marker}\n\nsmuggled\r\n.\r\n");
        Assert.Equal("550 5.6.0 message contains a bare CR or LF; use CRLF line ends", await client.ReadReplyAsync());
        Assert.Equal("250 2.0.0 OK", await client.CommandAsync("NOOP"));
        await Task.Delay(300);
        Assert.DoesNotContain(fixture.Sink.Messages(), m => m.Contains(marker));
    }
}
