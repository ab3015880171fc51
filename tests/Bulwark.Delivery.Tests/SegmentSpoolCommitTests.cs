using System.Collections.Concurrent;
using Bulwark.Delivery.Spool;
using Bulwark.Delivery.Spool.Segments;

namespace Bulwark.Delivery.Tests;

/// <summary>Group commit: acknowledgement only after the fsync, batching under concurrency, and
/// space reclaimed once messages are gone.</summary>
public sealed class SegmentSpoolCommitTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string[] Segments() => Directory.GetFiles(Path.Combine(_dir.Path, "segments"), "*.seg");

    [Fact]
    public async Task Commit_completes_only_after_the_batch_fsync()
    {
        using var spool = new SegmentSpool(_dir.Path);
        using var inFsync = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        spool.BeforeFsync = () => { inFsync.Set(); release.Wait(TimeSpan.FromSeconds(10)); };

        var commit = TestMail.CommitAsync(spool, TestMail.Message(), id => TestMail.Envelope(id, "bob@example.com"));
        Assert.True(inFsync.Wait(TimeSpan.FromSeconds(10)));
        await Task.Delay(100);
        Assert.False(commit.IsCompleted);
        Assert.Empty(spool.List()); // not visible to delivery before it is durable either
        Assert.Equal(0, spool.Fsyncs);
        release.Set();
        var env = await commit;
        Assert.Equal(1, spool.Fsyncs);
        Assert.Equal(env.QueueId, Assert.Single(spool.List()).QueueId);
    }

    [Fact]
    public async Task Thousand_concurrent_commits_are_all_durable_in_fewer_batches()
    {
        const int n = 1000;
        var ids = new ConcurrentBag<string>();
        long fsyncs, batches;
        using (var spool = new SegmentSpool(_dir.Path))
        {
            await Task.WhenAll(Enumerable.Range(0, n).Select(i => Task.Run(async () =>
                ids.Add((await TestMail.CommitAsync(spool, TestMail.Message($"c{i}"), id => TestMail.Envelope(id, "bob@example.com"))).QueueId))));
            (fsyncs, batches) = (spool.Fsyncs, spool.Batches);
        }
        Assert.True(batches < n, $"{batches} batches for {n} commits");
        Assert.True(fsyncs <= batches);
        using var reopened = new SegmentSpool(_dir.Path);
        Assert.Equal(ids.Order(StringComparer.Ordinal), reopened.List().Select(e => e.QueueId));
    }

    [Fact]
    public async Task Deletes_are_not_fsynced_on_their_own()
    {
        using var spool = new SegmentSpool(_dir.Path);
        var env = await TestMail.CommitAsync(spool, TestMail.Message(), id => TestMail.Envelope(id, "bob@example.com"));
        var before = (spool.Fsyncs, spool.Batches);
        spool.Delete(env.QueueId);
        await TestMail.Eventually(() => spool.Batches > before.Batches, TimeSpan.FromSeconds(5), "delete appended");
        Assert.Equal(before.Fsyncs, spool.Fsyncs);
    }

    [Fact]
    public async Task Segments_roll_and_are_removed_once_everything_in_them_is_delivered()
    {
        var options = new SegmentSpoolOptions { SegmentBytes = 4096, MaintenanceInterval = TimeSpan.FromMilliseconds(50) };
        using var spool = new SegmentSpool(_dir.Path, options);
        var all = new List<Envelope>();
        for (var i = 0; i < 30; i++)
            all.Add(await TestMail.CommitAsync(spool, TestMail.Message($"r{i}"), id => TestMail.Envelope(id, "bob@example.com")));
        Assert.True(Segments().Length > 3, $"{Segments().Length} segments");
        foreach (var e in all) spool.Delete(e.QueueId);
        await TestMail.Eventually(() => Segments().Length == 1, TimeSpan.FromSeconds(10), "finished segments removed");
    }

    [Fact]
    public async Task A_long_lived_message_is_carried_forward_so_old_segments_can_go()
    {
        var options = new SegmentSpoolOptions { SegmentBytes = 4096, MaintenanceInterval = TimeSpan.FromMilliseconds(50) };
        Envelope stuck;
        using (var spool = new SegmentSpool(_dir.Path, options))
        {
            stuck = await TestMail.CommitAsync(spool, TestMail.Message("stuck"), id => TestMail.Envelope(id, "bob@example.com"));
            await spool.UpdateAsync(stuck with { Attempts = 3 });
            var rest = new List<Envelope>();
            for (var i = 0; i < 30; i++)
                rest.Add(await TestMail.CommitAsync(spool, TestMail.Message($"r{i}"), id => TestMail.Envelope(id, "bob@example.com")));
            foreach (var e in rest) spool.Delete(e.QueueId);
            await TestMail.Eventually(() => Segments().Length <= 2, TimeSpan.FromSeconds(10), "old segments compacted away");
            Assert.Equal(TestMail.Message("stuck"), SpoolContract.ReadAll(spool.OpenBody(stuck.QueueId)));
        }
        using var reopened = new SegmentSpool(_dir.Path, options);
        var listed = Assert.Single(reopened.List());
        Assert.Equal((stuck.QueueId, 3), (listed.QueueId, listed.Attempts));
        Assert.Equal(TestMail.Message("stuck"), SpoolContract.ReadAll(reopened.OpenBody(stuck.QueueId)));
    }

    [Fact]
    public async Task Large_body_spills_to_tmp_and_tmp_is_empty_after_commit()
    {
        using var spool = new SegmentSpool(_dir.Path, new SegmentSpoolOptions { MemoryBodyBytes = 1024 });
        var body = new byte[100_000];
        Random.Shared.NextBytes(body);
        string id;
        using (var entry = spool.Create())
        {
            id = entry.QueueId;
            entry.Body.Write(body.AsSpan(0, 500));
            Assert.Empty(Directory.GetFiles(spool.TmpDir));
            entry.Body.Write(body.AsSpan(500));
            Assert.Single(Directory.GetFiles(spool.TmpDir));
            Assert.Equal(body, SpoolContract.ReadAll(entry.OpenWritten()));
            await entry.CommitAsync(TestMail.Envelope(id, "bob@example.com"));
        }
        Assert.Empty(Directory.GetFiles(spool.TmpDir));
        Assert.Equal(body, SpoolContract.ReadAll(spool.OpenBody(id)));
    }
}
