using Akka.Actor;
using Bulwark.Delivery.Transports;

namespace Bulwark.Delivery.Tests;

public sealed class QueueAdminActorTests : AdminTestBase
{
    [Fact]
    public async Task ListQueue_shows_waiting_and_in_flight_messages_oldest_first()
    {
        var actor = Start();
        var envs = await Deferred(actor, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(2));

        var listing = await Ask<QueueListing>(actor, new ListQueue());
        Assert.Equal(3, listing.Total);
        Assert.Equal(new[] { envs[1], envs[2], envs[0] }.Select(e => e.QueueId), listing.Entries.Select(e => e.QueueId));
        var first = listing.Entries[0];
        Assert.Equal(envs[1].ReceivedAt, first.ReceivedAt);
        Assert.Equal("alice@example.org", first.Sender);
        Assert.Equal(["bob@example.com"], first.Recipients);
        Assert.Equal(1, first.Attempts);
        Assert.True(first.NextAttemptAt > DateTimeOffset.UtcNow.AddMinutes(50));
        Assert.Contains("451", first.LastError);
        Assert.Equal(QueueEntryStates.Waiting, first.State);
        Assert.Equal(TestMail.Message().Length, first.SizeBytes);

        var limited = await Ask<QueueListing>(actor, new ListQueue(2));
        Assert.Equal(3, limited.Total);
        Assert.Equal(listing.Entries.Take(2).Select(e => e.QueueId), limited.Entries.Select(e => e.QueueId));

        Transport.Hold();
        var held = await Commit(age: TimeSpan.FromMinutes(10));
        actor.Tell(new Enqueued(held.QueueId, held));
        await TestMail.Eventually(() => Transport.Attempts == 4, TimeSpan.FromSeconds(10), "attempt in flight");
        var withInFlight = await Ask<QueueListing>(actor, new ListQueue());
        Assert.Equal(4, withInFlight.Total);
        var inFlight = withInFlight.Entries[0];
        Assert.Equal((held.QueueId, QueueEntryStates.InFlight, 0), (inFlight.QueueId, inFlight.State, inFlight.Attempts));
    }

    [Fact]
    public async Task RetryNow_delivers_a_backed_off_message_at_once()
    {
        var actor = Start();
        var env = (await Deferred(actor, TimeSpan.Zero)).Single();
        Transport.Outcome = RecipientOutcome.Delivered;

        var result = await Ask<RetryResult>(actor, new RetryNow(env.QueueId));
        Assert.Equal(env.QueueId, result.QueueId);
        Assert.True(result.Found);
        // The backoff is an hour: only the retry can deliver it within the test.
        await TestMail.Eventually(() => Spool.List().Count == 0, TimeSpan.FromSeconds(5), "delivered after retry");
        Assert.Equal([env.QueueId], Transport.Delivered);
        await AwaitAssertAsync(async () => Assert.Equal(0, (await Ask<QueueListing>(actor, new ListQueue())).Total),
            TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(25));
    }

    [Fact]
    public async Task RetryNow_reports_unknown_and_in_flight_messages()
    {
        var actor = Start();
        var unknown = await Ask<RetryResult>(actor, new RetryNow("0000000000000AAAAA"));
        Assert.False(unknown.Found);
        Assert.False((await Ask<RetryResult>(actor, new RetryNow("not an id"))).Found);

        Transport.Hold();
        var env = await Commit();
        actor.Tell(new Enqueued(env.QueueId, env));
        await TestMail.Eventually(() => Transport.Attempts == 1, TimeSpan.FromSeconds(10), "attempt in flight");
        var busy = await Ask<RetryResult>(actor, new RetryNow(env.QueueId));
        Assert.True(busy.Found);
        Assert.Equal("already being delivered", busy.Message);
        Assert.Equal(1, Transport.Attempts);
    }

    [Fact]
    public async Task FlushQueue_makes_every_waiting_message_due_within_MaxConcurrent()
    {
        var actor = Start(Slow with { MaxConcurrent = 1 });
        var envs = await Deferred(actor, TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(1));
        Transport.Outcome = RecipientOutcome.Delivered;
        Transport.Delay = TimeSpan.FromMilliseconds(50); // attempts would overlap if the limit were ignored

        Assert.Equal(new FlushResult(3), await Ask<FlushResult>(actor, FlushQueue.Instance));
        await TestMail.Eventually(() => Spool.List().Count == 0, TimeSpan.FromSeconds(10), "all delivered after flush");
        Assert.Equal(envs.Select(e => e.QueueId).Order(), Transport.Delivered.Order());
        Assert.Equal(1, Transport.MaxConcurrentSeen);
        Assert.Equal(new FlushResult(0), await Ask<FlushResult>(actor, FlushQueue.Instance));
    }

    [Fact]
    public async Task SpoolStats_counts_queue_in_flight_oldest_and_dead_letters()
    {
        var preDead = await Commit();
        Spool.MoveToDeadLetter(preDead.QueueId, "earlier trouble");
        var oldest = await Commit(age: TimeSpan.FromMinutes(10));
        await Commit(age: TimeSpan.FromMinutes(5));
        await Commit(age: TimeSpan.FromMinutes(1));
        Transport.Hold();
        // An hour of count caching: only the actor's own dead-lettering can refresh it below.
        var actor = Start(Slow with { MaxConcurrent = 1, DeadLetterCountRefresh = TimeSpan.FromHours(1) });
        await TestMail.Eventually(() => Transport.Attempts == 1, TimeSpan.FromSeconds(10), "resumed, one in flight");

        var stats = await Ask<SpoolStats>(actor, GetSpoolStats.Instance);
        Assert.Equal((3, 1, oldest.ReceivedAt, 1), (stats.Depth, stats.InFlight, stats.OldestReceivedAt, stats.DeadLetters));
        Assert.InRange(stats.OldestAgeSeconds, 599, 700);

        // Dead-lettered behind the actor's back: the cached count does not see it yet.
        var external = await Commit();
        Spool.MoveToDeadLetter(external.QueueId, "by hand");
        Assert.Equal(1, (await Ask<SpoolStats>(actor, GetSpoolStats.Instance)).DeadLetters);

        Transport.Outcome = RecipientOutcome.Failed;
        Transport.Release();
        await AwaitAssertAsync(async () =>
            Assert.Equal(new SpoolStats(0, 0, null, 0, 5), await Ask<SpoolStats>(actor, GetSpoolStats.Instance)),
            TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));
    }
}
