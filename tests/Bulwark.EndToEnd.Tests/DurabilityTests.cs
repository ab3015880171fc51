using Bulwark.EndToEnd.Tests.Infrastructure;

namespace Bulwark.EndToEnd.Tests;

public sealed class DurabilityTests
{
    private static Dictionary<string, string> NextHop(SmtpSink sink) => new()
    {
        ["BULWARK_Delivery__NextHop__Host"] = "127.0.0.1",
        ["BULWARK_Delivery__NextHop__Port"] = sink.Port.ToString(),
        ["BULWARK_Delivery__InitialRetrySeconds"] = "0.5",
        ["BULWARK_Delivery__MaxRetrySeconds"] = "1",
        ["BULWARK_Reputation__Enabled"] = "false",
    };

    [Fact]
    public async Task Mail_accepted_while_the_next_hop_is_down_is_delivered_once_it_is_up()
    {
        using var sink = new SmtpSink();
        using var node = await BulwarkNode.StartAsync(NextHop(sink));
        var subject = "hop-down-" + Guid.NewGuid();

        Assert.StartsWith("250 2.0.0 queued as", await Send.MessageAsync(node.SmtpPort, "alice@example.test", subject));
        await Task.Delay(1500);
        Assert.Empty(sink.Messages());
        sink.Start();

        var dumps = await sink.WaitForMessagesAsync(1, TimeSpan.FromSeconds(30));
        Assert.Contains(dumps, d => d.Contains(subject));
    }

    [Fact]
    public async Task A_node_killed_right_after_its_250_delivers_the_message_after_restart()
    {
        using var sink = new SmtpSink();
        using var node = await BulwarkNode.StartAsync(NextHop(sink));
        var subject = "killed-" + Guid.NewGuid();

        Assert.StartsWith("250 2.0.0 queued as", await Send.MessageAsync(node.SmtpPort, "bob@example.test", subject));
        node.Kill();
        sink.Start();
        await Task.Delay(500);
        Assert.Empty(sink.Messages());

        await node.StartAgainAsync();
        var dumps = await sink.WaitForMessagesAsync(1, TimeSpan.FromSeconds(30));
        Assert.Contains(dumps, d => d.Contains(subject));
    }

    [Fact]
    public async Task Without_a_next_hop_mail_lands_in_the_recipients_Maildir()
    {
        using var node = await BulwarkNode.StartAsync(new Dictionary<string, string> { ["BULWARK_Reputation__Enabled"] = "false" });
        var subject = "maildir-" + Guid.NewGuid();

        Assert.StartsWith("250 2.0.0 queued as", await Send.MessageAsync(node.SmtpPort, "carol@example.test", subject));

        var inbox = Path.Combine(node.DataDirectory, "maildir", "example.test", "carol", "new");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && !(Directory.Exists(inbox) && Directory.GetFiles(inbox).Length > 0))
            await Task.Delay(100);
        var file = Assert.Single(Directory.GetFiles(inbox));
        Assert.Contains(subject, await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task A_spool_that_cannot_store_gives_451_4_3_0_never_a_5xx()
    {
        // The file spool, whose tmp/ folder can be broken from outside; the 451 comes from the
        // session whatever the spool (SegmentSpool's own failures: SegmentSpool tests).
        using var node = await BulwarkNode.StartAsync(new Dictionary<string, string>
        {
            ["BULWARK_Reputation__Enabled"] = "false",
            ["BULWARK_Delivery__Spool"] = "files",
        });
        var tmp = Path.Combine(node.DataDirectory, "spool", "tmp");
        Directory.Delete(tmp, recursive: true);
        await File.WriteAllTextAsync(tmp, "not a directory");

        using var client = await RawSmtpClient.ConnectAsync(node.SmtpPort);
        await client.ReadReplyAsync();
        await client.CommandAsync("EHLO client.test");
        await client.CommandAsync("MAIL FROM:<a@remote.test>");
        await client.CommandAsync("RCPT TO:<alice@example.test>");
        Assert.Equal("451 4.3.0 could not store the message, try again later", await client.CommandAsync("DATA"));
    }
}
