using Bulwark.Delivery.Transports;

namespace Bulwark.Delivery.Tests;

public sealed class DeliveryPlannerTests
{
    private static readonly DeliveryOptions Options = new()
    {
        InitialRetry = TimeSpan.FromSeconds(5),
        MaxRetry = TimeSpan.FromMinutes(15),
        MaxAge = TimeSpan.FromDays(5),
    };

    private static RecipientResult R(string rcpt, RecipientOutcome o) => new(rcpt, o, $"{o} detail");

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(4, 40)]
    [InlineData(8, 640)]
    [InlineData(9, 900)]
    [InlineData(200, 900)]
    public void Backoff_doubles_and_is_capped(int attempts, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), DeliveryPlanner.Backoff(attempts, Options));

    [Fact]
    public void All_delivered_deletes()
    {
        var env = TestMail.Envelope("0000000000000AAAAA", "a@x.org", "b@x.org");
        var plan = DeliveryPlanner.Plan(env, [R("a@x.org", RecipientOutcome.Delivered), R("B@X.ORG", RecipientOutcome.Delivered)], DateTimeOffset.UtcNow, Options);
        Assert.Equal(PlanAction.Delete, plan.Action);
        Assert.Null(plan.FailedCopy);
    }

    [Fact]
    public void Deferred_recipients_only_are_retried_with_backoff()
    {
        var now = DateTimeOffset.UtcNow;
        var env = TestMail.Envelope("0000000000000AAAAA", "a@x.org", "b@x.org", "c@x.org") with { Attempts = 2 };
        var plan = DeliveryPlanner.Plan(env, [R("a@x.org", RecipientOutcome.Delivered), R("b@x.org", RecipientOutcome.Deferred)], now, Options);
        Assert.Equal(PlanAction.Retry, plan.Action);
        Assert.Equal(["b@x.org", "c@x.org"], plan.Next!.Recipients); // c had no result: kept, never lost
        Assert.Equal(3, plan.Next.Attempts);
        Assert.Equal(now + TimeSpan.FromSeconds(20), plan.Next.NextAttemptAt);
        Assert.Equal("Deferred detail", plan.Next.LastError);
    }

    [Fact]
    public void Next_attempt_never_later_than_expiry_and_expired_goes_dead()
    {
        var env = TestMail.Envelope("0000000000000AAAAA", "a@x.org") with { ReceivedAt = DateTimeOffset.UtcNow.AddDays(-5).AddSeconds(2) };
        var plan = DeliveryPlanner.Plan(env with { Attempts = 10 }, [R("a@x.org", RecipientOutcome.Deferred)], DateTimeOffset.UtcNow, Options);
        Assert.Equal(env.ReceivedAt + Options.MaxAge, plan.Next!.NextAttemptAt);

        var expired = DeliveryPlanner.Plan(env, [R("a@x.org", RecipientOutcome.Deferred)], DateTimeOffset.UtcNow.AddSeconds(3), Options);
        Assert.Equal(PlanAction.DeadLetter, expired.Action);
        Assert.Contains("max age", expired.DeadReason);
    }

    [Fact]
    public void All_failed_dead_letters_the_message_itself()
    {
        var env = TestMail.Envelope("0000000000000AAAAA", "a@x.org", "b@x.org");
        var plan = DeliveryPlanner.Plan(env, [R("a@x.org", RecipientOutcome.Failed), R("b@x.org", RecipientOutcome.Failed)], DateTimeOffset.UtcNow, Options);
        Assert.Equal(PlanAction.DeadLetter, plan.Action);
        Assert.Equal(["a@x.org", "b@x.org"], plan.Next!.Recipients);
        Assert.Null(plan.FailedCopy);
    }

    [Fact]
    public void Failed_beside_delivered_or_deferred_goes_to_a_dead_letter_copy()
    {
        var env = TestMail.Envelope("0000000000000AAAAA", "a@x.org", "b@x.org", "c@x.org");
        var plan = DeliveryPlanner.Plan(env,
            [R("a@x.org", RecipientOutcome.Delivered), R("b@x.org", RecipientOutcome.Failed), R("c@x.org", RecipientOutcome.Deferred)],
            DateTimeOffset.UtcNow, Options);
        Assert.Equal(PlanAction.Retry, plan.Action);
        Assert.Equal(["c@x.org"], plan.Next!.Recipients);
        Assert.Equal(["b@x.org"], plan.FailedCopy!.Recipients);
    }
}
