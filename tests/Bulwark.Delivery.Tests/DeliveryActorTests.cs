using Akka.Actor;
using Akka.TestKit.Xunit2;
using Bulwark.Delivery.Spool;
using Envelope = Bulwark.Delivery.Spool.Envelope;
using Bulwark.Delivery.Transports;

namespace Bulwark.Delivery.Tests;

public sealed class DeliveryActorTests : TestKit
{
    private readonly TempDir _dir = new();
    private readonly TempDir _maildir = new();

    private static readonly DeliveryOptions Fast = new()
    {
        MaxConcurrent = 4,
        InitialRetry = TimeSpan.FromMilliseconds(200),
        MaxRetry = TimeSpan.FromMilliseconds(400),
        MaxAge = TimeSpan.FromMinutes(5),
    };

    private string SpoolRoot => Path.Combine(_dir.Path, "spool");

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing); // stops the actor system first, so nothing writes while we delete
        if (!disposing) return;
        _dir.Dispose();
        _maildir.Dispose();
    }

    private static SmtpNextHopTransport Smtp(int port) => new(new SmtpNextHopOptions("127.0.0.1", port)
    {
        ConnectTimeout = TimeSpan.FromSeconds(2),
        CommandTimeout = TimeSpan.FromSeconds(5),
    });

    [Fact]
    public async Task Delivers_enqueued_message_and_deletes_it()
    {
        using var spool = new FileSpool(SpoolRoot);
        var actor = Sys.ActorOf(DeliveryActor.Props(spool, new MaildirTransport(_maildir.Path), Fast));
        var body = TestMail.Message();
        var env = await TestMail.CommitAsync(spool, body, id => TestMail.Envelope(id, "bob@example.com"));
        actor.Tell(new Enqueued(env.QueueId, env));

        var newDir = Path.Combine(_maildir.Path, "example.com", "bob", "new");
        await TestMail.Eventually(() => Directory.Exists(newDir) && Directory.GetFiles(newDir).Length == 1, TimeSpan.FromSeconds(10), "maildir delivery");
        await TestMail.Eventually(() => spool.List().Count == 0, TimeSpan.FromSeconds(5), "spool emptied");
        Assert.Equal(body, File.ReadAllBytes(Directory.GetFiles(newDir).Single()));
        await AwaitAssertAsync(async () =>
            Assert.Equal(new QueueStatus(0, null), await actor.Ask<QueueStatus>(GetQueueStatus.Instance, TimeSpan.FromSeconds(3))),
            TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Enqueued_without_envelope_is_found_in_the_spool()
    {
        using var spool = new FileSpool(SpoolRoot);
        var actor = Sys.ActorOf(DeliveryActor.Props(spool, new MaildirTransport(_maildir.Path), Fast));
        await Task.Delay(200); // let the start-up listing pass first
        var env = await TestMail.CommitAsync(spool, TestMail.Message(), id => TestMail.Envelope(id, "bob@example.com"));
        actor.Tell(new Enqueued(env.QueueId));
        await TestMail.Eventually(() => spool.List().Count == 0, TimeSpan.FromSeconds(10), "delivered");
    }

    [Fact]
    public async Task Next_hop_down_then_up_is_delivered_after_retry()
    {
        using var spool = new FileSpool(SpoolRoot);
        var port = TestMail.FreePort();
        var actor = Sys.ActorOf(DeliveryActor.Props(spool, Smtp(port), Fast));
        var env = await TestMail.CommitAsync(spool, TestMail.Message(), id => TestMail.Envelope(id, "bob@example.com"));
        actor.Tell(new Enqueued(env.QueueId, env));

        await TestMail.Eventually(() => spool.List().SingleOrDefault()?.Attempts >= 1, TimeSpan.FromSeconds(10), "a failed attempt recorded");
        var deferred = spool.List().Single();
        Assert.NotNull(deferred.NextAttemptAt);
        Assert.Contains("connect", deferred.LastError);
        var status = await actor.Ask<QueueStatus>(GetQueueStatus.Instance, TimeSpan.FromSeconds(3));
        Assert.Equal(1, status.Depth);
        Assert.Equal(env.ReceivedAt, status.Oldest);

        await using var sink = new SmtpSink(port);
        await TestMail.Eventually(() => sink.Messages.Count == 1, TimeSpan.FromSeconds(10), "delivery after retry");
        await TestMail.Eventually(() => spool.List().Count == 0, TimeSpan.FromSeconds(5), "spool emptied");
    }

    [Fact]
    public async Task Partly_refused_message_delivers_the_rest_and_dead_letters_a_copy_without_bounce()
    {
        using var spool = new FileSpool(SpoolRoot);
        await using var sink = new SmtpSink();
        sink.RcptReplies["gone@example.com"] = "550 5.1.1 no such user";
        var actor = Sys.ActorOf(DeliveryActor.Props(spool, Smtp(sink.Port), Fast));
        var env = await TestMail.CommitAsync(spool, TestMail.Message(), id => TestMail.Envelope(id, "bob@example.com", "gone@example.com"));
        actor.Tell(new Enqueued(env.QueueId, env));

        await TestMail.Eventually(() => spool.List().Count == 0 && Directory.GetFiles(spool.DeadDir, "*.env").Length == 1,
            TimeSpan.FromSeconds(10), "delivered and dead-lettered copy");
        Assert.Equal(["bob@example.com"], Assert.Single(sink.Messages).Recipients); // no DSN sent anywhere
        var dead = File.ReadAllText(Directory.GetFiles(spool.DeadDir, "*.env").Single());
        Assert.Contains("gone@example.com", dead);
        Assert.DoesNotContain("bob@example.com", dead);
    }

    [Fact]
    public async Task Max_age_moves_still_deferred_message_to_dead_letters()
    {
        using var spool = new FileSpool(SpoolRoot);
        var actor = Sys.ActorOf(DeliveryActor.Props(spool, Smtp(TestMail.FreePort()), Fast with { MaxAge = TimeSpan.FromSeconds(1) }));
        var env = await TestMail.CommitAsync(spool, TestMail.Message(), id => TestMail.Envelope(id, "bob@example.com"));
        actor.Tell(new Enqueued(env.QueueId, env));

        var dead = Path.Combine(spool.DeadDir, env.QueueId + ".eml");
        await TestMail.Eventually(() => File.Exists(dead), TimeSpan.FromSeconds(10), "dead letter");
        Assert.Empty(spool.List());
        Assert.Contains("max age", File.ReadAllText(Path.Combine(spool.DeadDir, env.QueueId + ".reason")));
        // The file move lands just before the actor hears of it: poll its status.
        await AwaitAssertAsync(async () =>
            Assert.Equal(0, (await actor.Ask<QueueStatus>(GetQueueStatus.Instance, TimeSpan.FromSeconds(3))).Depth),
            TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task New_actor_over_the_same_spool_delivers_what_the_old_one_left()
    {
        var port = TestMail.FreePort();
        string[] ids;
        using (var spool = new FileSpool(SpoolRoot))
        {
            var old = Sys.ActorOf(DeliveryActor.Props(spool, Smtp(port), Fast with { InitialRetry = TimeSpan.FromMinutes(1), MaxRetry = TimeSpan.FromMinutes(1) }));
            var envs = new List<Envelope>();
            for (var i = 0; i < 3; i++)
                envs.Add(await TestMail.CommitAsync(spool, TestMail.Message($"m{i}"), id => TestMail.Envelope(id, $"user{i}@example.com")));
            envs.ForEach(e => old.Tell(new Enqueued(e.QueueId, e)));
            await TestMail.Eventually(() => spool.List().All(e => e.Attempts == 1), TimeSpan.FromSeconds(10), "first attempts failed");
            await old.GracefulStop(TimeSpan.FromSeconds(3));
            ids = envs.Select(e => e.QueueId).ToArray();
        }

        using var restarted = new FileSpool(SpoolRoot); // as after a process restart
        Assert.Equal(ids, restarted.List().Select(e => e.QueueId));
        // Their NextAttemptAt is a minute away: make them due now, as if that time had passed.
        foreach (var e in restarted.List()) await restarted.UpdateAsync(e with { NextAttemptAt = DateTimeOffset.UtcNow });
        Sys.ActorOf(DeliveryActor.Props(restarted, new MaildirTransport(_maildir.Path), Fast));
        await TestMail.Eventually(() => restarted.List().Count == 0, TimeSpan.FromSeconds(10), "resumed delivery");
        for (var i = 0; i < 3; i++)
            Assert.Single(Directory.GetFiles(Path.Combine(_maildir.Path, "example.com", $"user{i}", "new")));
    }
}
