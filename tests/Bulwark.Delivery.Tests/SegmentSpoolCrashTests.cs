using Bulwark.Delivery.Spool;
using Bulwark.Delivery.Spool.Segments;

namespace Bulwark.Delivery.Tests;

/// <summary>What a crash can leave in segments/ and dead/, and what recovery makes of it.</summary>
public sealed class SegmentSpoolCrashTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<List<Envelope>> CommitMany(SegmentSpool spool, int n)
    {
        var list = new List<Envelope>();
        for (var i = 0; i < n; i++)
            list.Add(await TestMail.CommitAsync(spool, TestMail.Message($"m{i}"), id => TestMail.Envelope(id, "bob@example.com")));
        return list;
    }

    private string OnlySegment() => Assert.Single(Directory.GetFiles(Path.Combine(_dir.Path, "segments"), "*.seg"));

    [Theory]
    [InlineData(1)]   // the last byte of the body
    [InlineData(10)]  // inside the body
    [InlineData(200)] // inside the envelope JSON
    public async Task Torn_last_record_is_dropped_and_truncated_the_rest_kept(int cut)
    {
        List<Envelope> committed;
        using (var spool = new SegmentSpool(_dir.Path)) committed = await CommitMany(spool, 10);
        var segment = OnlySegment();
        var length = new FileInfo(segment).Length;
        using (var f = new FileStream(segment, FileMode.Open)) f.SetLength(length - cut);

        using (var reopened = new SegmentSpool(_dir.Path))
        {
            Assert.Equal(committed.Take(9).Select(e => e.QueueId), reopened.List().Select(e => e.QueueId));
            Assert.Equal(TestMail.Message("m8"), SpoolContract.ReadAll(reopened.OpenBody(committed[8].QueueId)));
            Assert.True(new FileInfo(segment).Length < length - cut, "torn record truncated away");
            await TestMail.CommitAsync(reopened, TestMail.Message("after"), id => TestMail.Envelope(id, "bob@example.com"));
        }
        using var again = new SegmentSpool(_dir.Path);
        Assert.Equal(10, again.List().Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Garbage_or_zeros_after_the_last_record_are_cut_off(bool zeros)
    {
        List<Envelope> committed;
        using (var spool = new SegmentSpool(_dir.Path)) committed = await CommitMany(spool, 5);
        var segment = OnlySegment();
        var length = new FileInfo(segment).Length;
        var tail = new byte[5000];
        if (!zeros) Random.Shared.NextBytes(tail);
        using (var f = new FileStream(segment, FileMode.Append)) f.Write(tail);

        using var reopened = new SegmentSpool(_dir.Path);
        Assert.Equal(committed.Select(e => e.QueueId), reopened.List().Select(e => e.QueueId));
        Assert.Equal(length, new FileInfo(segment).Length);
    }

    [Fact]
    public async Task A_flipped_body_byte_ends_the_valid_log_there()
    {
        List<Envelope> committed;
        using (var spool = new SegmentSpool(_dir.Path)) committed = await CommitMany(spool, 3);
        var segment = OnlySegment();
        var bytes = File.ReadAllBytes(segment);
        bytes[^5] ^= 0xFF; // inside the last body: its CRC no longer matches
        File.WriteAllBytes(segment, bytes);

        using var reopened = new SegmentSpool(_dir.Path);
        Assert.Equal(committed.Take(2).Select(e => e.QueueId), reopened.List().Select(e => e.QueueId));
    }

    [Fact]
    public async Task Dead_letter_move_without_its_record_leaves_the_message_queued()
    {
        Envelope env;
        using (var spool = new SegmentSpool(_dir.Path))
        {
            env = (await CommitMany(spool, 1))[0];
            // The files of a move cut short before the Dead record: as MoveToDeadLetter writes them.
            File.WriteAllBytes(Path.Combine(spool.DeadDir, env.QueueId + ".eml"), TestMail.Message("m0"));
            File.WriteAllText(Path.Combine(spool.DeadDir, env.QueueId + ".reason"), "x");
            File.WriteAllText(Path.Combine(spool.DeadDir, env.QueueId + ".env"), "{}");
            File.WriteAllText(Path.Combine(spool.TmpDir, "leftover.body"), "x");
        }
        using var reopened = new SegmentSpool(_dir.Path);
        Assert.Equal(env.QueueId, Assert.Single(reopened.List()).QueueId);
        Assert.Empty(reopened.ListDeadLetters());
        Assert.Empty(Directory.GetFiles(reopened.DeadDir));
        Assert.Empty(Directory.GetFiles(reopened.TmpDir));
    }

    [Fact]
    public async Task Restart_after_deliveries_updates_and_dead_letters_keeps_the_right_set()
    {
        List<Envelope> all;
        using (var spool = new SegmentSpool(_dir.Path))
        {
            all = await CommitMany(spool, 10);
            foreach (var e in all.Take(3)) spool.Delete(e.QueueId);
            foreach (var e in all.Skip(3).Take(3))
                await spool.UpdateAsync(e with { Attempts = 4, LastError = "451 " + e.QueueId, Recipients = ["carol@example.com"] });
            spool.MoveToDeadLetter(all[6].QueueId, "refused");
        }
        using var reopened = new SegmentSpool(_dir.Path);
        var listed = reopened.List();
        Assert.Equal(all.Skip(3).Where((_, i) => i != 3).Select(e => e.QueueId), listed.Select(e => e.QueueId));
        Assert.All(listed.Take(3), e => Assert.Equal((4, "451 " + e.QueueId, "carol@example.com"), (e.Attempts, e.LastError, e.Recipients[0])));
        Assert.All(listed.Skip(3), e => Assert.Equal(0, e.Attempts));
        Assert.Equal(all[6].QueueId, Assert.Single(reopened.ListDeadLetters()).Envelope.QueueId);
    }

    [Fact]
    public void A_second_instance_on_the_same_root_is_refused()
    {
        using var spool = new SegmentSpool(_dir.Path);
        Assert.ThrowsAny<IOException>(() => new SegmentSpool(_dir.Path));
    }
}
