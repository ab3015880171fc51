using Bulwark.EndToEnd.Tests.Infrastructure;

namespace Bulwark.EndToEnd.Tests;

public sealed class ReputationTests
{
    [Fact]
    public async Task After_enough_strikes_the_IP_gets_421_before_the_greeting_and_others_are_served_even_after_a_restart()
    {
        using var node = await BulwarkNode.StartAsync(new Dictionary<string, string>
        {
            ["BULWARK_Reputation__StrikeThreshold"] = "3",
            ["BULWARK_Reputation__BaseBlockSeconds"] = "600",
        });
        await Send.StrikesAsync(node.SmtpPort, "127.0.0.2", 3);

        string? refused = null;
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            using var attacker = await RawSmtpClient.ConnectAsync(node.SmtpPort, "127.0.0.2");
            refused = await attacker.ReadReplyAsync();
            if (refused?.StartsWith("421") == true)
            {
                Assert.True(await attacker.IsClosedAsync(TimeSpan.FromSeconds(5)));
                break;
            }
            await Task.Delay(100);
        }
        Assert.Equal("421 4.7.0 too much abuse from your address, try again later", refused);

        using (var bystander = await RawSmtpClient.ConnectAsync(node.SmtpPort, "127.0.0.3"))
            Assert.StartsWith("220 ", await bystander.ReadReplyAsync());

        node.Kill();
        await node.StartAgainAsync();
        // The restarted listener's accept gate learns the block from the journal, not from an ask.
        Assert.True(await node.WaitForOutputAsync("block cache rebuilt from 1 journal events", TimeSpan.FromSeconds(10)), node.Output);
        using var again = await RawSmtpClient.ConnectAsync(node.SmtpPort, "127.0.0.2");
        Assert.Equal("421 4.7.0 too much abuse from your address, try again later", await again.ReadReplyAsync());
    }

    [Fact]
    public async Task Connections_past_the_per_IP_limit_get_421_4_7_0()
    {
        using var node = await BulwarkNode.StartAsync(new Dictionary<string, string> { ["BULWARK_Reputation__MaxConnectionsPerIp"] = "2" });
        using var first = await RawSmtpClient.ConnectAsync(node.SmtpPort, "127.0.0.4");
        using var second = await RawSmtpClient.ConnectAsync(node.SmtpPort, "127.0.0.4");
        Assert.StartsWith("220 ", await first.ReadReplyAsync());
        Assert.StartsWith("220 ", await second.ReadReplyAsync());

        using var third = await RawSmtpClient.ConnectAsync(node.SmtpPort, "127.0.0.4");
        Assert.Equal("421 4.7.0 too many connections from your address", await third.ReadReplyAsync());

        using var other = await RawSmtpClient.ConnectAsync(node.SmtpPort, "127.0.0.5");
        Assert.StartsWith("220 ", await other.ReadReplyAsync());
    }

    [Fact]
    public async Task An_allowlisted_IP_is_never_blocked()
    {
        using var node = await BulwarkNode.StartAsync(new Dictionary<string, string>
        {
            ["BULWARK_Reputation__StrikeThreshold"] = "2",
            ["BULWARK_Reputation__Allowlist"] = "127.0.0.10/32",
        });
        await Send.StrikesAsync(node.SmtpPort, "127.0.0.10", 6);
        await Send.StrikesAsync(node.SmtpPort, "127.0.0.11", 2);
        await Task.Delay(500);

        using var allowed = await RawSmtpClient.ConnectAsync(node.SmtpPort, "127.0.0.10");
        Assert.StartsWith("220 ", await allowed.ReadReplyAsync());
        using var other = await RawSmtpClient.ConnectAsync(node.SmtpPort, "127.0.0.11");
        Assert.StartsWith("421 4.7.0", await other.ReadReplyAsync());
    }
}
