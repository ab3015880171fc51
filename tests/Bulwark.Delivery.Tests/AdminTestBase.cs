using Akka.Actor;
using Akka.TestKit.Xunit2;
using Bulwark.Delivery.Spool;
using Envelope = Bulwark.Delivery.Spool.Envelope;

namespace Bulwark.Delivery.Tests;

/// <summary>A real FileSpool in a temp dir, a scripted transport, and a backoff of an hour so a
/// deferred message stays put until the test acts on it.</summary>
public abstract class AdminTestBase : TestKit
{
    private readonly TempDir _dir = new();

    protected static readonly DeliveryOptions Slow = new()
    {
        MaxConcurrent = 4,
        InitialRetry = TimeSpan.FromHours(1),
        MaxRetry = TimeSpan.FromHours(1),
        MaxAge = TimeSpan.FromDays(1),
    };

    protected static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    protected AdminTestBase() => Spool = new FileSpool(SpoolRoot);

    protected string SpoolRoot => Path.Combine(_dir.Path, "spool");
    protected FileSpool Spool { get; set; }
    protected ScriptedTransport Transport { get; } = new();

    protected override void Dispose(bool disposing)
    {
        Transport.Release();
        base.Dispose(disposing); // stops the actor system first, so nothing writes while we delete
        if (!disposing) return;
        Spool.Dispose();
        _dir.Dispose();
    }

    protected IActorRef Start(DeliveryOptions? options = null) =>
        Sys.ActorOf(DeliveryActor.Props(Spool, Transport, options ?? Slow));

    protected Task<Envelope> Commit(string recipient = "bob@example.com", TimeSpan? age = null, string subject = "hello") =>
        TestMail.CommitAsync(Spool, TestMail.Message(subject), id => TestMail.Envelope(id, recipient) with
        {
            ReceivedAt = DateTimeOffset.UtcNow - (age ?? TimeSpan.Zero),
        });

    /// <summary>Commits and enqueues messages, and waits until each had one (deferred) attempt.</summary>
    protected async Task<List<Envelope>> Deferred(IActorRef actor, params TimeSpan[] ages)
    {
        var envs = new List<Envelope>();
        foreach (var age in ages) envs.Add(await Commit(age: age));
        envs.ForEach(e => actor.Tell(new Enqueued(e.QueueId, e)));
        var ids = envs.Select(e => e.QueueId).ToHashSet();
        await TestMail.Eventually(() => Spool.List().Count(e => ids.Contains(e.QueueId) && e.Attempts == 1) == envs.Count,
            TimeSpan.FromSeconds(10), "first attempts deferred");
        // The spool is updated just before the actor hears the outcome: wait for the actor too.
        await AwaitAssertAsync(async () =>
        {
            var listed = (await Ask<QueueListing>(actor, new ListQueue())).Entries.Where(e => ids.Contains(e.QueueId)).ToList();
            Assert.Equal(envs.Count, listed.Count(e => e is { State: QueueEntryStates.Waiting, Attempts: 1 }));
        }, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(25));
        return envs;
    }

    protected Task<T> Ask<T>(IActorRef actor, object message) => actor.Ask<T>(message, AskTimeout);
}
