using Bulwark.EndToEnd.Tests.Infrastructure;

namespace Bulwark.EndToEnd.Tests;

public sealed class AdminCliTests
{
    [Fact]
    public async Task An_operator_blocks_and_unblocks_an_IP_from_the_command_line()
    {
        using var node = await BulwarkNode.StartAsync();

        var (blockExit, blockOutput) = await node.CliAsync("block", "127.0.0.6", "--minutes", "30", "--reason", "test block");
        Assert.True(blockExit == 0, blockOutput);
        Assert.Contains("test block", blockOutput);
        Assert.Matches(@"(?m)^blocked until:\s+\d{4}-", blockOutput);

        string? greeting = null;
        for (var i = 0; i < 50 && greeting?.StartsWith("421") != true; i++)
        {
            using var blocked = await RawSmtpClient.ConnectAsync(node.SmtpPort, "127.0.0.6");
            greeting = await blocked.ReadReplyAsync();
            await Task.Delay(50);
        }
        Assert.Equal("421 4.7.0 too much abuse from your address, try again later", greeting);
        var (_, list) = await node.CliAsync("blocks");
        Assert.Contains("127.0.0.6", list);
        Assert.Contains("test block", list);

        var (unblockExit, unblockOutput) = await node.CliAsync("unblock", "127.0.0.6");
        Assert.True(unblockExit == 0, unblockOutput);
        Assert.Matches(@"(?m)^blocked until:\s+not blocked$", unblockOutput);
        for (var i = 0; i < 50 && greeting?.StartsWith("220") != true; i++)
        {
            using var again = await RawSmtpClient.ConnectAsync(node.SmtpPort, "127.0.0.6");
            greeting = await again.ReadReplyAsync();
            await Task.Delay(50);
        }
        Assert.StartsWith("220 ", greeting);
    }

    [Fact]
    public async Task The_CLI_refuses_bad_input_with_a_non_zero_exit()
    {
        using var node = await BulwarkNode.StartAsync();
        var (badIp, output) = await node.CliAsync("block", "not-an-ip");
        Assert.Equal(1, badIp);
        Assert.Contains("is not an IP address", output);

        var (usage, _) = await node.CliAsync("block");
        Assert.Equal(2, usage);
    }
}
