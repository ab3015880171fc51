using Bulwark.EndToEnd.Tests.Infrastructure;

namespace Bulwark.EndToEnd.Tests;

public sealed class DrainTests
{
    [Fact]
    public async Task On_SIGTERM_idle_sessions_get_421_an_open_transaction_finishes_and_the_node_exits_cleanly()
    {
        using var sink = new SmtpSink();
        sink.Start();
        using var node = await BulwarkNode.StartAsync(new Dictionary<string, string>
        {
            ["BULWARK_Delivery__NextHop__Host"] = "127.0.0.1",
            ["BULWARK_Delivery__NextHop__Port"] = sink.Port.ToString(),
            ["BULWARK_Reputation__Enabled"] = "false",
            ["BULWARK_Smtp__DrainSeconds"] = "15",
        });
        using var idle = await RawSmtpClient.ConnectAsync(node.SmtpPort);
        Assert.StartsWith("220", await idle.ReadReplyAsync());
        Assert.StartsWith("250", await idle.CommandAsync("EHLO idle.test"));
        using var busy = await RawSmtpClient.ConnectAsync(node.SmtpPort);
        await busy.ReadReplyAsync();
        await busy.CommandAsync("EHLO busy.test");
        Assert.StartsWith("250", await busy.CommandAsync("MAIL FROM:<a@remote.test>"));
        Assert.StartsWith("250", await busy.CommandAsync("RCPT TO:<alice@example.test>"));

        var stopping = node.StopAsync(TimeSpan.FromSeconds(60));

        Assert.Equal("421 4.3.2 service shutting down, try again later", await idle.ReadReplyAsync(TimeSpan.FromSeconds(10)));
        var subject = "drained-" + Guid.NewGuid();
        Assert.StartsWith("354", await busy.CommandAsync("DATA"));
        await busy.SendAsync($"Subject: {subject}\r\n\r\nfinished during shutdown\r\n.\r\n");
        Assert.StartsWith("250 2.0.0 queued as", await busy.ReadReplyAsync());
        Assert.Equal("421 4.3.2 service shutting down, try again later", await busy.CommandAsync("NOOP"));

        Assert.Equal(0, await stopping);
        using var probe = new System.Net.Sockets.TcpClient();
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => probe.ConnectAsync("127.0.0.1", node.SmtpPort));

        // The message acknowledged during the drain is on disk: a restart delivers it if it had not gone yet.
        await node.StartAgainAsync();
        await sink.WaitForMessageAsync(subject, TimeSpan.FromSeconds(30));
    }
}
