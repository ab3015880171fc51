using Bulwark.EndToEnd.Tests.Infrastructure;

namespace Bulwark.EndToEnd.Tests;

/// <summary>The executable as a new user meets it: help and usage errors, with no node running.</summary>
public sealed class CliUsageTests
{
    [Fact]
    public async Task Help_prints_the_node_usage_and_every_command_and_exits_0()
    {
        var (exit, stdout, stderr) = await BulwarkNode.RunExecutableAsync("--help");
        Assert.True(exit == 0, stdout + stderr);
        Assert.StartsWith("usage: bulwark [--config FILE]", stdout);
        foreach (var command in new[] { "cluster", "shards", "blocks", "block IP", "unblock IP", "ip-status IP", "queue list", "queue retry ID", "quarantine show ID" })
            Assert.Contains("\n  " + command + " ", stdout);
        Assert.DoesNotContain('\u001b', stdout);
        Assert.Equal("", stderr);
    }

    [Fact]
    public async Task Help_of_a_command_prints_its_usage_and_exits_0()
    {
        var (exit, stdout, stderr) = await BulwarkNode.RunExecutableAsync("queue", "--help");
        Assert.True(exit == 0, stdout + stderr);
        Assert.StartsWith("usage: bulwark queue SUBCOMMAND [options]", stdout);
        Assert.Contains("\n  requeue ID ", stdout);

        (exit, stdout, stderr) = await BulwarkNode.RunExecutableAsync("block", "--help");
        Assert.True(exit == 0, stdout + stderr);
        Assert.StartsWith("usage: bulwark block IP [--minutes N] [--reason TEXT] [options]", stdout);
    }

    [Theory]
    [InlineData("unknown command 'blockz' (did you mean 'block' or 'blocks'?)", "usage: bulwark [--config FILE]", "blockz")]
    [InlineData("unknown command 'lst' for 'queue' (did you mean 'list'?)", "usage: bulwark queue SUBCOMMAND", "queue", "lst")]
    [InlineData("'block' needs IP", "usage: bulwark block IP", "block")]
    [InlineData("unknown option '--bogus' for 'blocks'", "usage: bulwark blocks", "blocks", "--bogus")]
    public async Task A_usage_error_prints_the_problem_and_the_usage_to_stderr_and_exits_2(string problem, string usage, params string[] args)
    {
        var (exit, stdout, stderr) = await BulwarkNode.RunExecutableAsync(args);
        Assert.True(exit == 2, stdout + stderr);
        Assert.Equal("", stdout);
        Assert.StartsWith("bulwark: " + problem + "\n", stderr);
        Assert.Contains("\n" + usage, stderr);
    }
}
