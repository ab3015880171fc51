using Bulwark.Listener.Protocol;

namespace Bulwark.Actors.Tests.Listener;

/// <summary>The reusable command timeout behaves as the linked source it replaces (issue #8).</summary>
public sealed class CommandDeadlineTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task The_armed_token_is_cancelled_when_the_timeout_passes()
    {
        using var deadline = new CommandDeadline(CancellationToken.None, CancellationToken.None);
        var token = deadline.Arm(TimeSpan.FromMilliseconds(50), drainingApplies: true);
        await Task.Delay(TimeSpan.FromSeconds(5), token).ContinueWith(_ => { });
        Assert.True(token.IsCancellationRequested);
    }

    [Fact]
    public void Re_arming_restarts_the_timeout_without_cancelling()
    {
        using var deadline = new CommandDeadline(CancellationToken.None, CancellationToken.None);
        for (var i = 0; i < 1000; i++)
            Assert.False(deadline.Arm(Long, drainingApplies: i % 2 == 0).IsCancellationRequested);
    }

    [Fact]
    public async Task After_a_timeout_the_next_arm_gives_a_fresh_token()
    {
        using var deadline = new CommandDeadline(CancellationToken.None, CancellationToken.None);
        var first = deadline.Arm(TimeSpan.FromMilliseconds(20), drainingApplies: false);
        await Task.Delay(TimeSpan.FromSeconds(5), first).ContinueWith(_ => { });
        var second = deadline.Arm(Long, drainingApplies: false);
        Assert.True(first.IsCancellationRequested);
        Assert.False(second.IsCancellationRequested);
    }

    [Fact]
    public void Draining_cancels_only_a_read_outside_a_transaction()
    {
        using var draining = new CancellationTokenSource();
        using var deadline = new CommandDeadline(draining.Token, CancellationToken.None);
        var inTransaction = deadline.Arm(Long, drainingApplies: false);
        draining.Cancel();
        Assert.False(inTransaction.IsCancellationRequested);
        // Between transactions the same node, already draining, lets the client go at once.
        Assert.True(deadline.Arm(Long, drainingApplies: true).IsCancellationRequested);
    }

    [Fact]
    public async Task Draining_cancels_a_waiting_read_between_transactions()
    {
        using var draining = new CancellationTokenSource();
        using var deadline = new CommandDeadline(draining.Token, CancellationToken.None);
        var token = deadline.Arm(Long, drainingApplies: true);
        draining.Cancel();
        await Task.Delay(TimeSpan.FromSeconds(5), token).ContinueWith(_ => { });
        Assert.True(token.IsCancellationRequested);
    }

    [Fact]
    public async Task Stopping_cancels_any_read()
    {
        using var stopping = new CancellationTokenSource();
        using var deadline = new CommandDeadline(CancellationToken.None, stopping.Token);
        var token = deadline.Arm(Long, drainingApplies: false);
        stopping.Cancel();
        await Task.Delay(TimeSpan.FromSeconds(5), token).ContinueWith(_ => { });
        Assert.True(token.IsCancellationRequested);
        Assert.True(deadline.Arm(Long, drainingApplies: false).IsCancellationRequested);
    }

    [Fact]
    public void Arming_after_dispose_throws()
    {
        var deadline = new CommandDeadline(CancellationToken.None, CancellationToken.None);
        deadline.Dispose();
        Assert.Throws<ObjectDisposedException>(() => deadline.Arm(Long, drainingApplies: true));
    }
}
