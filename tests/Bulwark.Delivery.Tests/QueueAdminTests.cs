using Bulwark.Delivery.Spool;
using Bulwark.Delivery.Transports;

namespace Bulwark.Delivery.Tests;

public sealed class QueueAdminTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static Envelope E(string id, int minutesAgo) =>
        TestMail.Envelope(id, $"{id.ToLowerInvariant()}@example.com") with { ReceivedAt = T0.AddMinutes(-minutesAgo) };

    [Fact]
    public void Listing_orders_by_received_time_marks_state_and_limits()
    {
        var listing = QueueAdmin.Listing([E("W1", 5), E("W2", 20)], [E("F1", 10)], 2);
        Assert.Equal(3, listing.Total);
        Assert.Equal([("W2", QueueEntryStates.Waiting), ("F1", QueueEntryStates.InFlight)],
            listing.Entries.Select(e => (e.QueueId, e.State)));
        Assert.All(listing.Entries, e => Assert.Null(e.SizeBytes));
        Assert.Empty(QueueAdmin.Listing([E("W1", 5)], [], 0).Entries);

        var sized = QueueAdmin.WithSizes(listing, id => id == "F1" ? 42 : null);
        Assert.Equal([null, 42L], sized.Entries.Select(e => e.SizeBytes));
    }

    [Fact]
    public void Stats_count_depth_in_flight_and_age_of_the_oldest()
    {
        var stats = QueueAdmin.Stats([E("W1", 5)], [E("F1", 10), E("F2", 1)], 7, T0);
        Assert.Equal(new SpoolStats(3, 2, T0.AddMinutes(-10), 600, 7), stats);
        Assert.Equal(new SpoolStats(0, 0, null, 0, 0), QueueAdmin.Stats([], [], 0, T0));
    }

    [Fact]
    public void Dead_letter_listing_keeps_the_newest()
    {
        var dead = new[] { 3, 1, 2 }.Select(h => new DeadLetter(E($"D{h}", 60), $"reason {h}", T0.AddHours(h))).ToList();
        var listing = QueueAdmin.DeadLetters(dead, 2);
        Assert.Equal(3, listing.Total);
        Assert.Equal(["D2", "D3"], listing.Entries.Select(e => e.QueueId));
        Assert.Equal(("reason 3", T0.AddHours(3), "d3@example.com"), (listing.Entries[1].Reason, listing.Entries[1].DeadAt, listing.Entries[1].Recipients[0]));
    }

    [Fact]
    public void Requeued_message_gets_a_fresh_max_age_window()
    {
        var options = new DeliveryOptions { InitialRetry = TimeSpan.FromMinutes(1), MaxAge = TimeSpan.FromDays(1) };
        var old = TestMail.Envelope("0000000000000AAAAA", "a@x.org") with { ReceivedAt = T0.AddDays(-3) };
        RecipientResult[] deferred = [new("a@x.org", RecipientOutcome.Deferred, "451 later")];

        Assert.Equal(PlanAction.DeadLetter, DeliveryPlanner.Plan(old, deferred, T0, options).Action);
        var plan = DeliveryPlanner.Plan(old with { RequeuedAt = T0.AddMinutes(-5) }, deferred, T0, options);
        Assert.Equal(PlanAction.Retry, plan.Action);
        Assert.Equal(T0.AddMinutes(1), plan.Next!.NextAttemptAt);
        Assert.Equal(PlanAction.DeadLetter,
            DeliveryPlanner.Plan(old with { RequeuedAt = T0.AddDays(-2) }, deferred, T0, options).Action);
    }
}
