using System.Diagnostics;
using Xunit.Abstractions;

namespace Bulwark.EndToEnd.Tests.Farm;

public sealed class GracefulLeaveTests(ITestOutputHelper log)
{
    [Fact]
    public async Task SIGTERM_makes_a_node_leave_the_cluster_and_exit_0()
    {
        await using var farm = await LocalFarm.StartAsync(3);
        var leaving = farm[3];
        var clock = Stopwatch.StartNew();
        // Host shutdown timeout is 30 s; a little more for the process to end.
        var exitCode = await leaving.StopAsync(TimeSpan.FromSeconds(40));
        log.WriteLine($"node 3 exited with {exitCode?.ToString() ?? "nothing"} after {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(exitCode == 0, $"exit code {exitCode?.ToString() ?? "none (still running)"}:\n{leaving.Output}");

        // A graceful leave needs no downing: the others drop it at once, not after the SBR's stable-after.
        foreach (var node in new[] { farm[1], farm[2] })
            await farm.WaitForMembersAsync(node, [farm[1].ClusterAddress, farm[2].ClusterAddress], TimeSpan.FromSeconds(15));
        log.WriteLine($"removed at nodes 1 and 2 after {clock.Elapsed.TotalSeconds:F1} s");
        Assert.StartsWith("250", await Infrastructure.Send.MessageAsync(farm[1].SmtpPort, "alice@example.test", "after a leave"));
    }
}
