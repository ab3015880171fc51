using Bulwark.EndToEnd.Tests.Infrastructure;

namespace Bulwark.EndToEnd.Tests;

[Collection("relaying node")]
public sealed class RefusalTests(RelayingNodeFixture fixture)
{
    private async Task<RawSmtpClient> OpenTransactionAsync(string sender = "<sender@remote.test>")
    {
        var client = await RawSmtpClient.ConnectAsync(fixture.Node.SmtpPort);
        Assert.StartsWith("220 ", await client.ReadReplyAsync());
        Assert.StartsWith("250", await client.CommandAsync("EHLO client.test"));
        Assert.Equal("250 2.1.0 sender OK", await client.CommandAsync($"MAIL FROM:{sender}"));
        return client;
    }

    [Fact]
    public async Task Unknown_recipient_gets_550_5_1_1_and_swaks_never_reaches_DATA()
    {
        var (_, output) = await ProcessRunner.RunAsync("swaks", [
            "--server", $"127.0.0.1:{fixture.Node.SmtpPort}", "--from", "sender@remote.test", "--to", "nobody@example.test"],
            TimeSpan.FromSeconds(30));

        Assert.Contains("<** 550 5.1.1 no such user here", output);
        Assert.DoesNotContain(" -> DATA", output);
    }

    [Theory]
    [InlineData("<user@elsewhere.test>")]
    [InlineData("<user%elsewhere.test@example.test>")]
    [InlineData("<elsewhere.test!user@example.test>")]
    [InlineData("<@example.test:user@elsewhere.test>")]
    [InlineData("<@relay.test,@example.test:alice@example.test>")]
    [InlineData("<\"user@elsewhere.test\"@example.test>")]
    [InlineData("<alice@[127.0.0.1]>")]
    [InlineData("<user@sub.example.test>")]
    public async Task Relay_attempts_get_550_5_7_1(string recipient)
    {
        using var client = await OpenTransactionAsync();
        var reply = await client.CommandAsync($"RCPT TO:{recipient}");
        Assert.StartsWith("550 5.7.1 ", reply);
    }

    [Fact]
    public async Task The_recipient_past_the_limit_gets_452_4_5_3()
    {
        using var client = await OpenTransactionAsync();
        foreach (var rcpt in new[] { "alice", "bob", "carol" })
            Assert.Equal("250 2.1.5 recipient OK", await client.CommandAsync($"RCPT TO:<{rcpt}@example.test>"));
        Assert.Equal("452 4.5.3 too many recipients", await client.CommandAsync("RCPT TO:<postmaster@example.test>"));
    }

    [Fact]
    public async Task DATA_without_an_accepted_recipient_is_refused()
    {
        using var client = await OpenTransactionAsync();
        Assert.StartsWith("550 5.1.1", await client.CommandAsync("RCPT TO:<nobody@example.test>"));
        Assert.Equal("554 5.5.1 no valid recipients", await client.CommandAsync("DATA"));
    }

    [Fact]
    public async Task A_message_over_the_size_limit_gets_552_5_3_4_and_the_session_goes_on()
    {
        using var client = await OpenTransactionAsync();
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<alice@example.test>"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        var line = new string('x', 900) + "\r\n";
        await client.SendAsync("Subject: big\r\n\r\n" + string.Concat(Enumerable.Repeat(line, 100)) + ".\r\n");
        Assert.Equal("552 5.3.4 message too large", await client.ReadReplyAsync());
        Assert.Equal("250 2.0.0 OK", await client.CommandAsync("NOOP"));
    }

    [Fact]
    public async Task A_declared_SIZE_over_the_limit_is_refused_at_MAIL()
    {
        using var client = await RawSmtpClient.ConnectAsync(fixture.Node.SmtpPort);
        await client.ReadReplyAsync();
        var ehlo = await client.CommandAsync("EHLO client.test");
        Assert.Contains("250-SIZE 65536", ehlo);
        Assert.Equal("552 5.3.4 declared message size exceeds the limit", await client.CommandAsync("MAIL FROM:<a@remote.test> SIZE=10000000"));
    }

    [Theory]
    [InlineData("bare LF", "Subject: x\r\n\r\nline one\nline two\r\n", "550 5.6.0 message contains a bare CR or LF; use CRLF line ends")]
    [InlineData("bare CR", "Subject: x\r\n\r\nline one\rline two\r\n", "550 5.6.0 message contains a bare CR or LF; use CRLF line ends")]
    [InlineData("NUL", "Subject: x\r\n\r\nline \0 one\r\n", "550 5.6.0 message contains a NUL byte")]
    [InlineData("long line", "Subject: x\r\n\r\n{long}\r\n", "550 5.6.0 message line longer than 998 characters")]
    public async Task Malformed_bodies_are_refused_and_never_relayed(string name, string body, string expected)
    {
        var marker = $"malformed-{name}-{Guid.NewGuid()}";
        body = body.Replace("{long}", new string('y', 1200)).Replace("Subject: x", $"Subject: {marker}");
        using var client = await OpenTransactionAsync();
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<alice@example.test>"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        await client.SendAsync(body + ".\r\n");
        Assert.Equal(expected, await client.ReadReplyAsync());
        await Task.Delay(300);
        Assert.DoesNotContain(fixture.Sink.Messages(), m => m.Contains(marker));
    }

    [Fact]
    public async Task An_over_long_command_line_gets_500_5_5_6_and_the_session_goes_on()
    {
        using var client = await RawSmtpClient.ConnectAsync(fixture.Node.SmtpPort);
        await client.ReadReplyAsync();
        Assert.Equal("500 5.5.6 line too long", await client.CommandAsync("NOOP " + new string('a', 5000)));
        Assert.Equal("250 2.0.0 OK", await client.CommandAsync("NOOP"));
    }

    [Fact]
    public async Task Too_many_bad_commands_close_the_session_with_421()
    {
        using var client = await RawSmtpClient.ConnectAsync(fixture.Node.SmtpPort);
        await client.ReadReplyAsync();
        string? reply = null;
        for (var i = 0; i < 10; i++) reply = await client.CommandAsync("WHAT " + i);
        Assert.Equal("421 4.7.0 too many errors, closing connection", reply);
        Assert.True(await client.IsClosedAsync(TimeSpan.FromSeconds(5)));
    }
}
