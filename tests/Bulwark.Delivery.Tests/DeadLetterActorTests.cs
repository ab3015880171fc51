using Akka.Actor;
using Bulwark.Delivery.Spool;
using Bulwark.Delivery.Transports;
using Envelope = Bulwark.Delivery.Spool.Envelope;

namespace Bulwark.Delivery.Tests;

public sealed class DeadLetterActorTests : AdminTestBase
{
    private async Task<Envelope> Refused(IActorRef actor)
    {
        Transport.Outcome = RecipientOutcome.Failed;
        var env = await Commit(age: TimeSpan.FromMinutes(2));
        actor.Tell(new Enqueued(env.QueueId, env));
        await TestMail.Eventually(() => File.Exists(Path.Combine(Spool.DeadDir, env.QueueId + ".eml")), TimeSpan.FromSeconds(10), "dead letter");
        await AwaitAssertAsync(async () => Assert.Equal(0, (await Ask<QueueListing>(actor, new ListQueue())).Total), TimeSpan.FromSeconds(5));
        return env;
    }

    [Fact]
    public async Task Dead_letter_is_listed_then_requeued_and_delivered()
    {
        var actor = Start();
        var env = await Refused(actor);

        var dead = Assert.Single((await Ask<DeadLetterListing>(actor, new ListDeadLetters())).Entries);
        Assert.Equal((env.QueueId, "alice@example.org", env.ReceivedAt), (dead.QueueId, dead.Sender, dead.ReceivedAt));
        Assert.Equal(["bob@example.com"], dead.Recipients);
        Assert.Contains("refused by next hop: 550 5.1.1", dead.Reason);
        Assert.InRange(dead.DeadAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(1, (await Ask<SpoolStats>(actor, GetSpoolStats.Instance)).DeadLetters);

        Transport.Outcome = RecipientOutcome.Delivered;
        var result = await Ask<RequeueResult>(actor, new RequeueDeadLetter(env.QueueId));
        Assert.True(result.Found && result.Requeued, result.Message);
        await TestMail.Eventually(() => Transport.Delivered.Contains(env.QueueId), TimeSpan.FromSeconds(10), "delivered after requeue");
        await TestMail.Eventually(() => Spool.List().Count == 0, TimeSpan.FromSeconds(5), "spool emptied");
        Assert.Equal(0, (await Ask<DeadLetterListing>(actor, new ListDeadLetters())).Total);
        Assert.Empty(Directory.GetFiles(Spool.DeadDir));
        Assert.Equal(0, (await Ask<SpoolStats>(actor, GetSpoolStats.Instance)).DeadLetters);
    }

    [Fact]
    public async Task Requeue_of_unknown_or_queued_id_is_not_found()
    {
        var actor = Start();
        Assert.False((await Ask<RequeueResult>(actor, new RequeueDeadLetter("0000000000000AAAAA"))).Found);
        Assert.False((await Ask<RequeueResult>(actor, new RequeueDeadLetter("../queue/x"))).Found);
        var queued = (await Deferred(actor, TimeSpan.Zero)).Single();
        var result = await Ask<RequeueResult>(actor, new RequeueDeadLetter(queued.QueueId));
        Assert.False(result.Found || result.Requeued);
        Assert.Single(Spool.List());
    }

    [Fact]
    public async Task Requeued_message_is_in_queue_on_disk_after_a_restart()
    {
        var actor = Start();
        var env = await Refused(actor);
        Transport.Outcome = RecipientOutcome.Deferred;
        Assert.True((await Ask<RequeueResult>(actor, new RequeueDeadLetter(env.QueueId))).Requeued);
        await TestMail.Eventually(() => Transport.Attempts == 2, TimeSpan.FromSeconds(10), "attempt after requeue");
        await AwaitAssertAsync(async () =>
            Assert.Equal(1, Assert.Single((await Ask<QueueListing>(actor, new ListQueue())).Entries).Attempts), TimeSpan.FromSeconds(5));
        await actor.GracefulStop(TimeSpan.FromSeconds(3));
        Spool.Dispose();

        Spool = new FileSpool(SpoolRoot); // as after a process restart
        var listed = Assert.Single(Spool.List());
        Assert.Equal((env.QueueId, 1), (listed.QueueId, listed.Attempts));
        Assert.NotNull(listed.RequeuedAt);
        Assert.Empty(Spool.ListDeadLetters());
        Transport.Outcome = RecipientOutcome.Delivered;
        await Spool.UpdateAsync(listed with { NextAttemptAt = null });
        Start();
        await TestMail.Eventually(() => Spool.List().Count == 0, TimeSpan.FromSeconds(10), "delivered after restart");
        Assert.Contains(env.QueueId, Transport.Delivered);
    }

    [Fact]
    public async Task Admin_messages_and_real_replies_survive_the_default_serializer()
    {
        var actor = Start();
        var dead = await Refused(actor);
        Transport.Outcome = RecipientOutcome.Deferred;
        var queued = (await Deferred(actor, TimeSpan.Zero)).Single();
        object[] messages =
        [
            new ListQueue(5), new RetryNow(queued.QueueId), FlushQueue.Instance, new ListDeadLetters(), new RequeueDeadLetter("X"),
            GetSpoolStats.Instance,
            await Ask<QueueListing>(actor, new ListQueue()),
            await Ask<DeadLetterListing>(actor, new ListDeadLetters()),
            await Ask<SpoolStats>(actor, GetSpoolStats.Instance),
            await Ask<RetryResult>(actor, new RetryNow(queued.QueueId)),
            await Ask<FlushResult>(actor, FlushQueue.Instance),
            await Ask<RequeueResult>(actor, new RequeueDeadLetter(dead.QueueId)),
            new SpoolStats(0, 0, null, 0, 0),
        ];
        Assert.NotEmpty(((QueueListing)messages[6]).Entries);
        Assert.NotEmpty(((DeadLetterListing)messages[7]).Entries);
        foreach (var message in messages)
        {
            var serializer = Sys.Serialization.FindSerializerFor(message);
            Assert.IsType<Akka.Serialization.NewtonSoftJsonSerializer>(serializer);
            var back = serializer.FromBinary(serializer.ToBinary(message), message.GetType());
            Assert.IsType(message.GetType(), back);
            Assert.Equivalent(message, back, strict: true);
        }
    }
}
