using Bulwark.Delivery.Spool;
using Bulwark.Delivery.Spool.Segments;

namespace Bulwark.Delivery.Tests;

/// <summary>What every ISpool must do, through the interface only (FileSpoolTests keep the
/// FileSpool-specific layout checks). Run against both implementations below.</summary>
public abstract class SpoolContract : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly List<IDisposable> _open = [];

    protected abstract ISpool Open(string root);

    public void Dispose()
    {
        foreach (var s in _open) s.Dispose();
        _dir.Dispose();
    }

    private ISpool Spool()
    {
        var spool = Open(_dir.Path);
        _open.Add((IDisposable)spool);
        return spool;
    }

    /// <summary>Closes every open instance and opens the root again, as after a restart.</summary>
    private ISpool Restart()
    {
        foreach (var s in _open) s.Dispose();
        _open.Clear();
        return Spool();
    }

    internal static byte[] ReadAll(Stream s)
    {
        using var _ = s;
        var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    private static Task<Envelope> Commit(ISpool spool, string subject = "hello") =>
        TestMail.CommitAsync(spool, TestMail.Message(subject), id => TestMail.Envelope(id, "bob@example.com"));

    [Fact]
    public async Task Commit_lists_message_with_same_bytes_and_envelope_also_after_restart()
    {
        var spool = Spool();
        var body = TestMail.Message();
        var env = await TestMail.CommitAsync(spool, body, id => TestMail.Envelope(id, "bob@example.com", "carol@example.com") with { Sender = "" });
        Assert.Equal(env, Assert.Single(spool.List()) with { Recipients = env.Recipients });
        Assert.Equal(body, ReadAll(spool.OpenBody(env.QueueId)));
        Assert.Equal(body.Length, spool.BodySize(env.QueueId));

        var restarted = Restart();
        var listed = Assert.Single(restarted.List());
        Assert.Equal(["bob@example.com", "carol@example.com"], listed.Recipients);
        Assert.Equal((env.QueueId, "", env.ReceivedAt), (listed.QueueId, listed.Sender, listed.ReceivedAt));
        Assert.Equal(body, ReadAll(restarted.OpenBody(env.QueueId)));
    }

    [Fact]
    public async Task Written_body_is_readable_before_commit_and_discarded_without_it()
    {
        var spool = Spool();
        var body = TestMail.Message();
        using (var entry = spool.Create())
        {
            await entry.Body.WriteAsync(body);
            Assert.Equal(body, ReadAll(entry.OpenWritten()));
        }
        Assert.Empty(spool.List());
        Assert.Empty(Restart().List());
    }

    [Fact]
    public async Task Commit_rejects_envelope_of_another_id()
    {
        using var entry = Spool().Create();
        await Assert.ThrowsAsync<ArgumentException>(() => entry.CommitAsync(TestMail.Envelope("00000000000000ZZZZ", "a@b.c")));
    }

    [Fact]
    public async Task Delete_removes_message_now_and_after_restart()
    {
        var spool = Spool();
        var a = await Commit(spool, "a");
        var b = await Commit(spool, "b");
        spool.Delete(a.QueueId);
        Assert.Equal([b.QueueId], spool.List().Select(e => e.QueueId));
        Assert.Throws<FileNotFoundException>(() => spool.OpenBody(a.QueueId));
        Assert.Null(spool.BodySize(a.QueueId));
        Assert.Equal([b.QueueId], Restart().List().Select(e => e.QueueId));
    }

    [Fact]
    public async Task Update_is_durable_and_refused_for_a_deleted_message()
    {
        var spool = Spool();
        var env = await Commit(spool);
        var next = DateTimeOffset.UtcNow.AddMinutes(5);
        await spool.UpdateAsync(env with { Recipients = ["carol@example.com"], Attempts = 2, NextAttemptAt = next, LastError = "451 later" });

        var restarted = Restart();
        var listed = Assert.Single(restarted.List());
        Assert.Equal(["carol@example.com"], listed.Recipients);
        Assert.Equal((2, next, "451 later"), (listed.Attempts, listed.NextAttemptAt, listed.LastError));
        restarted.Delete(env.QueueId);
        await Assert.ThrowsAsync<FileNotFoundException>(() => restarted.UpdateAsync(env));
        Assert.Empty(restarted.List());
    }

    [Fact]
    public async Task Dead_letter_leaves_the_queue_and_is_listed_counted_and_requeued()
    {
        var spool = Spool();
        var env = await Commit(spool);
        await spool.UpdateAsync(env with { Attempts = 7, LastError = "451 busy" });
        spool.MoveToDeadLetter(env.QueueId, "max age reached");
        Assert.Empty(spool.List());
        var dead = Assert.Single(spool.ListDeadLetters());
        Assert.Equal(("max age reached", env.QueueId, 7), (dead.Reason, dead.Envelope.QueueId, dead.Envelope.Attempts));
        Assert.InRange(dead.DeadAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
        Assert.Equal(1, spool.CountDeadLetters());

        spool = Restart();
        Assert.Empty(spool.List());
        Assert.Single(spool.ListDeadLetters());
        var requeued = await spool.RequeueDeadLetterAsync(env.QueueId);
        Assert.NotNull(requeued);
        Assert.Equal((0, (DateTimeOffset?)null, "451 busy"), (requeued.Attempts, requeued.NextAttemptAt, requeued.LastError));
        Assert.Equal(0, spool.CountDeadLetters());

        spool = Restart();
        Assert.Equal(requeued, Assert.Single(spool.List()) with { Recipients = requeued.Recipients });
        Assert.Equal(TestMail.Message(), ReadAll(spool.OpenBody(env.QueueId)));
        Assert.Empty(spool.ListDeadLetters());
        Assert.Null(await spool.RequeueDeadLetterAsync("0000000000000AAAAA"));
        Assert.Null(await spool.RequeueDeadLetterAsync("../../etc/passwd"));
    }

    [Fact]
    public async Task Large_body_round_trips()
    {
        var spool = Spool();
        var body = TestMail.Message(body: string.Concat(Enumerable.Repeat("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\r\n", 10_000)));
        using (var entry = spool.Create())
        {
            foreach (var chunk in body.Chunk(7000)) await entry.Body.WriteAsync(chunk);
            Assert.Equal(body, ReadAll(entry.OpenWritten()));
            await entry.CommitAsync(TestMail.Envelope(entry.QueueId, "bob@example.com"));
        }
        var id = Assert.Single(spool.List()).QueueId;
        Assert.Equal(body, ReadAll(spool.OpenBody(id)));
        Assert.Equal(body, ReadAll(Restart().OpenBody(id)));
    }

    [Fact]
    public async Task Concurrent_commits_from_many_writers_are_all_listed()
    {
        var spool = Spool();
        const int writers = 20, each = 25;
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < each; i++)
                ids.Add((await TestMail.CommitAsync(spool, TestMail.Message($"{w}-{i}"), id => TestMail.Envelope(id, "bob@example.com"))).QueueId);
        })));
        Assert.Equal(writers * each, ids.Distinct().Count());
        Assert.Equal(ids.OrderBy(i => i, StringComparer.Ordinal), spool.List().Select(e => e.QueueId));
        Assert.Equal(writers * each, Restart().List().Count);
    }
}

public sealed class FileSpoolContractTests : SpoolContract
{
    protected override ISpool Open(string root) => new FileSpool(root);
}

public sealed class SegmentSpoolContractTests : SpoolContract
{
    protected override ISpool Open(string root) => new SegmentSpool(root);
}
