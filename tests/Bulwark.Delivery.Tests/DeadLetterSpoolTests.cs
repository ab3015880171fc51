using Bulwark.Delivery.Spool;

namespace Bulwark.Delivery.Tests;

public sealed class DeadLetterSpoolTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Task<Envelope> Commit(ISpool spool, string subject = "hello") =>
        TestMail.CommitAsync(spool, TestMail.Message(subject), id => TestMail.Envelope(id, "bob@example.com"));

    [Fact]
    public async Task Dead_letters_are_listed_with_reason_and_time_and_counted()
    {
        using var spool = new FileSpool(_dir.Path);
        var a = await Commit(spool, "a");
        var b = await Commit(spool, "b");
        spool.MoveToDeadLetter(a.QueueId, "max age reached");
        await Task.Delay(20);
        spool.MoveToDeadLetter(b.QueueId, "refused by next hop: 550 no");
        // A dead-letter move in progress (envelope moved, body not yet) is not listed.
        var moving = await Commit(spool, "moving");
        File.Move(Path.Combine(spool.QueueDir, moving.QueueId + ".env"), Path.Combine(spool.DeadDir, moving.QueueId + ".env"));

        var dead = spool.ListDeadLetters();
        Assert.Equal([a.QueueId, b.QueueId], dead.Select(d => d.Envelope.QueueId));
        Assert.Equal("max age reached", dead[0].Reason);
        Assert.Equal("refused by next hop: 550 no", dead[1].Reason);
        Assert.True(dead[0].DeadAt <= dead[1].DeadAt);
        Assert.InRange(dead[1].DeadAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
        Assert.Equal(a.ReceivedAt, dead[0].Envelope.ReceivedAt);
        Assert.Equal(3, spool.CountDeadLetters()); // counts names only, the move in progress too
    }

    [Fact]
    public async Task Requeue_moves_dead_letter_back_durably_with_attempts_reset()
    {
        using var spool = new FileSpool(_dir.Path);
        var env = await Commit(spool);
        await spool.UpdateAsync(env with { Attempts = 7, NextAttemptAt = DateTimeOffset.UtcNow.AddHours(1), LastError = "451 busy" });
        spool.MoveToDeadLetter(env.QueueId, "max age reached");

        var requeued = await spool.RequeueDeadLetterAsync(env.QueueId);
        Assert.NotNull(requeued);
        Assert.Equal((0, (DateTimeOffset?)null, "451 busy"), (requeued.Attempts, requeued.NextAttemptAt, requeued.LastError));
        Assert.InRange(requeued.RequeuedAt!.Value, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
        Assert.Empty(Directory.GetFiles(spool.DeadDir));
        Assert.Empty(Directory.GetFiles(spool.TmpDir));

        using var restarted = new FileSpool(_dir.Path);
        var listed = Assert.Single(restarted.List());
        Assert.Equal(requeued, listed with { Recipients = requeued.Recipients });
        Assert.Equal(TestMail.Message(), File.ReadAllBytes(Path.Combine(restarted.QueueDir, env.QueueId + ".eml")));
        Assert.Equal(TestMail.Message().Length, restarted.BodySize(env.QueueId));
        Assert.Null(restarted.BodySize("0000000000000AAAAA"));
    }

    [Fact]
    public async Task Requeue_of_unknown_id_returns_null_and_of_a_queued_id_throws()
    {
        using var spool = new FileSpool(_dir.Path);
        Assert.Null(await spool.RequeueDeadLetterAsync("0000000000000AAAAA"));
        Assert.Null(await spool.RequeueDeadLetterAsync("../../etc/passwd"));
        var env = await Commit(spool);
        foreach (var ext in new[] { ".env", ".eml" })
            File.Copy(Path.Combine(spool.QueueDir, env.QueueId + ext), Path.Combine(spool.DeadDir, env.QueueId + ext));
        await Assert.ThrowsAsync<IOException>(() => spool.RequeueDeadLetterAsync(env.QueueId));
        Assert.Single(spool.List());
        Assert.Single(spool.ListDeadLetters());
    }

    [Fact]
    public async Task Recovery_finishes_or_undoes_an_interrupted_requeue()
    {
        using var spool = new FileSpool(_dir.Path);
        // Crash after the body went back to queue/ but before the envelope: it stays a dead letter.
        var early = await Commit(spool, "early");
        spool.MoveToDeadLetter(early.QueueId, "dead");
        File.Move(Path.Combine(spool.DeadDir, early.QueueId + ".eml"), Path.Combine(spool.QueueDir, early.QueueId + ".eml"));
        // Crash after the message was complete in queue/: the dead/ leftovers go.
        var late = await Commit(spool, "late");
        File.Copy(Path.Combine(spool.QueueDir, late.QueueId + ".env"), Path.Combine(spool.DeadDir, late.QueueId + ".env"));
        File.WriteAllText(Path.Combine(spool.DeadDir, late.QueueId + ".reason"), "x");

        using var restarted = new FileSpool(_dir.Path);
        Assert.Equal([late.QueueId], restarted.List().Select(e => e.QueueId));
        Assert.Equal([early.QueueId], restarted.ListDeadLetters().Select(d => d.Envelope.QueueId));
        Assert.False(File.Exists(Path.Combine(restarted.DeadDir, late.QueueId + ".reason")));
        Assert.Equal(1, restarted.CountDeadLetters());
    }
}
