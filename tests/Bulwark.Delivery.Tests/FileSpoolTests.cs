using Bulwark.Delivery.Spool;

namespace Bulwark.Delivery.Tests;

public sealed class FileSpoolTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] ReadAll(Stream s)
    {
        using var _ = s;
        var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    [Fact]
    public async Task Commit_makes_message_listed_with_same_bytes_and_envelope()
    {
        using var spool = new FileSpool(_dir.Path);
        var body = TestMail.Message();
        var env = await TestMail.CommitAsync(spool, body, id => TestMail.Envelope(id, "bob@example.com", "carol@example.com") with { Sender = "" });

        var listed = Assert.Single(spool.List());
        Assert.Equal(env.QueueId, listed.QueueId);
        Assert.Equal("", listed.Sender);
        Assert.Equal(["bob@example.com", "carol@example.com"], listed.Recipients);
        Assert.Equal(env.ReceivedAt, listed.ReceivedAt);
        Assert.Equal(body, ReadAll(spool.OpenBody(env.QueueId)));
        Assert.Empty(Directory.GetFiles(spool.TmpDir));
        Assert.True(File.Exists(Path.Combine(spool.QueueDir, env.QueueId + ".env")));
    }

    [Fact]
    public void Entry_disposed_without_commit_leaves_nothing()
    {
        using var spool = new FileSpool(_dir.Path);
        using (var entry = spool.Create()) entry.Body.Write(TestMail.Message());
        Assert.Empty(spool.List());
        Assert.Empty(Directory.GetFiles(spool.TmpDir));
        Assert.Empty(Directory.GetFiles(spool.QueueDir));
    }

    [Fact]
    public async Task Commit_rejects_envelope_of_another_id()
    {
        using var spool = new FileSpool(_dir.Path);
        using var entry = spool.Create();
        await Assert.ThrowsAsync<ArgumentException>(() => entry.CommitAsync(TestMail.Envelope("00000000000000ZZZZ", "a@b.c")));
    }

    [Fact]
    public async Task Delete_removes_message()
    {
        using var spool = new FileSpool(_dir.Path);
        var a = await TestMail.CommitAsync(spool, TestMail.Message("a"), id => TestMail.Envelope(id, "bob@example.com"));
        var b = await TestMail.CommitAsync(spool, TestMail.Message("b"), id => TestMail.Envelope(id, "bob@example.com"));
        spool.Delete(a.QueueId);
        Assert.Equal([b.QueueId], spool.List().Select(e => e.QueueId));
        Assert.Throws<FileNotFoundException>(() => spool.OpenBody(a.QueueId));
    }

    [Fact]
    public async Task Update_rewrites_envelope_durably_and_refuses_deleted_message()
    {
        using var spool = new FileSpool(_dir.Path);
        var env = await TestMail.CommitAsync(spool, TestMail.Message(), id => TestMail.Envelope(id, "bob@example.com", "carol@example.com"));
        var next = DateTimeOffset.UtcNow.AddMinutes(5);
        await spool.UpdateAsync(env with { Recipients = ["carol@example.com"], Attempts = 2, NextAttemptAt = next, LastError = "451 later" });

        using var reopened = new FileSpool(_dir.Path);
        var listed = Assert.Single(reopened.List());
        Assert.Equal(["carol@example.com"], listed.Recipients);
        Assert.Equal(2, listed.Attempts);
        Assert.Equal(next, listed.NextAttemptAt);
        Assert.Equal("451 later", listed.LastError);

        spool.Delete(env.QueueId);
        await Assert.ThrowsAsync<FileNotFoundException>(() => spool.UpdateAsync(env));
        Assert.Empty(spool.List());
    }

    [Fact]
    public async Task Dead_letter_moves_body_envelope_and_reason_aside()
    {
        using var spool = new FileSpool(_dir.Path);
        var body = TestMail.Message();
        var env = await TestMail.CommitAsync(spool, body, id => TestMail.Envelope(id, "bob@example.com"));
        spool.MoveToDeadLetter(env.QueueId, "max age reached");

        Assert.Empty(spool.List());
        Assert.Equal(body, File.ReadAllBytes(Path.Combine(spool.DeadDir, env.QueueId + ".eml")));
        Assert.True(File.Exists(Path.Combine(spool.DeadDir, env.QueueId + ".env")));
        Assert.Contains("max age reached", File.ReadAllText(Path.Combine(spool.DeadDir, env.QueueId + ".reason")));
    }

    [Fact]
    public async Task Restart_lists_committed_messages_and_cleans_crash_leftovers()
    {
        using var spool = new FileSpool(_dir.Path);
        var kept = await TestMail.CommitAsync(spool, TestMail.Message(), id => TestMail.Envelope(id, "bob@example.com"));
        // Crash leftovers: an entry still being written, a body renamed without its envelope, and a
        // dead-letter move interrupted after the envelope went.
        var writing = spool.Create();
        writing.Body.Write(TestMail.Message("partial"));
        writing.Body.Flush();
        const string orphan = "0000000000000AAAAA";
        File.WriteAllBytes(Path.Combine(spool.QueueDir, orphan + ".eml"), TestMail.Message("orphan"));
        var dying = await TestMail.CommitAsync(spool, TestMail.Message("dying"), id => TestMail.Envelope(id, "x@example.com"));
        File.Move(Path.Combine(spool.QueueDir, dying.QueueId + ".env"), Path.Combine(spool.DeadDir, dying.QueueId + ".env"));

        Assert.Equal([kept.QueueId], spool.List().Select(e => e.QueueId)); // ignored, even before restart

        using var restarted = new FileSpool(_dir.Path);
        var listed = Assert.Single(restarted.List());
        Assert.Equal(kept.QueueId, listed.QueueId);
        Assert.Empty(Directory.GetFiles(restarted.TmpDir));
        Assert.False(File.Exists(Path.Combine(restarted.QueueDir, orphan + ".eml")));
        Assert.True(File.Exists(Path.Combine(restarted.DeadDir, dying.QueueId + ".eml")));
        Assert.Equal(2, Directory.GetFiles(restarted.QueueDir).Length);
        writing.Dispose();
    }

    [Fact]
    public async Task Concurrent_commits_from_many_writers_are_all_listed()
    {
        using var spool = new FileSpool(_dir.Path);
        const int writers = 20, each = 25;
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < each; i++)
                ids.Add((await TestMail.CommitAsync(spool, TestMail.Message($"{w}-{i}"), id => TestMail.Envelope(id, "bob@example.com"))).QueueId);
        })));
        Assert.Equal(writers * each, ids.Distinct().Count());
        Assert.Equal(ids.OrderBy(i => i, StringComparer.Ordinal), spool.List().Select(e => e.QueueId));
    }

    [Fact]
    public void Queue_ids_are_unique_sortable_and_filename_safe()
    {
        var now = DateTimeOffset.UtcNow;
        var gen = new QueueIdGenerator(() => now);
        var ids = Enumerable.Range(0, 10_000).Select(_ => gen.Next()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(QueueIdGenerator.IsValid(id)));
        Assert.All(ids, id => Assert.Equal(-1, id.IndexOfAny(Path.GetInvalidFileNameChars())));
        var later = new QueueIdGenerator(() => now.AddMilliseconds(1)).Next();
        Assert.True(string.CompareOrdinal(ids[^1], later) < 0);
    }
}
