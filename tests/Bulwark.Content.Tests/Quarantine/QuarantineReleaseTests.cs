using Bulwark.Content.Quarantine;
using Bulwark.Delivery.Spool;

namespace Bulwark.Content.Tests.Quarantine;

/// <summary>Release into a real FileSpool on disk.</summary>
public sealed class QuarantineReleaseTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ManualClock _clock = new(Samples.T0);
    private readonly QuarantineStore _store;
    private readonly FileSpool _spool;

    public QuarantineReleaseTests()
    {
        _store = new QuarantineStore(_dir.Sub("quarantine"), TimeSpan.FromDays(30), _clock);
        _spool = new FileSpool(_dir.Sub("spool"), ioThreads: 2);
    }

    public void Dispose()
    {
        _spool.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Release_spools_exactly_the_quarantined_recipients_from_the_original_sender()
    {
        var bytes = Samples.Message();
        // The message went to alice (delivered) and bob, carol (quarantined): only bob and carol are released to.
        var id = await _store.AddAsync(new MemoryStream(bytes), Samples.Entry("bob@example.org", "carol@example.org"));
        _clock.Advance(TimeSpan.FromDays(3));

        var queueId = await _store.ReleaseAsync(id, _spool);

        var envelope = Assert.Single(_spool.List());
        Assert.Equal(queueId, envelope.QueueId);
        Assert.Equal(["bob@example.org", "carol@example.org"], envelope.Recipients);
        Assert.Equal("spammer@example.com", envelope.Sender);
        Assert.Equal(("192.0.2.7", "mx.example.com"), (envelope.ClientIp, envelope.Helo));
        Assert.Equal(Samples.T0.AddDays(3), envelope.ReceivedAt); // release time: max age starts now
        Assert.Equal(0, envelope.Attempts);
        Assert.Equal(bytes, Samples.ReadAll(_spool.OpenBody(queueId)));
        Assert.Null(_store.Get(id));
        Assert.Empty(_store.List());
    }

    [Fact]
    public async Task The_null_sender_stays_null()
    {
        var id = await _store.AddAsync(new MemoryStream(Samples.Message()), Samples.Entry() with { Sender = "" });
        var queueId = await _store.ReleaseAsync(id, _spool);
        Assert.Equal("", _spool.TryGet(queueId)!.Sender);
    }

    [Fact]
    public async Task A_failed_commit_leaves_the_entry_in_place()
    {
        var bytes = Samples.Message();
        var id = await _store.AddAsync(new MemoryStream(bytes), Samples.Entry());
        Directory.Delete(_spool.QueueDir); // the spool's commit (rename into queue/) now fails

        await Assert.ThrowsAnyAsync<IOException>(() => _store.ReleaseAsync(id, _spool));

        Assert.NotNull(_store.Get(id));
        Assert.Equal(bytes, Samples.ReadAll(_store.OpenMessage(id)));
        Directory.CreateDirectory(_spool.QueueDir);
        Assert.Empty(_spool.List());
        // Once the spool works again the same entry releases normally.
        var queueId = await _store.ReleaseAsync(id, _spool);
        Assert.Equal(queueId, Assert.Single(_spool.List()).QueueId);
        Assert.Null(_store.Get(id));
    }

    [Fact]
    public async Task A_cancelled_release_leaves_the_entry_and_spools_nothing()
    {
        var id = await _store.AddAsync(new MemoryStream(Samples.Message()), Samples.Entry());
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _store.ReleaseAsync(id, _spool, cts.Token));
        Assert.NotNull(_store.Get(id));
        Assert.Empty(_spool.List());
        Assert.Empty(Directory.EnumerateFiles(_spool.TmpDir));
    }

    [Fact]
    public async Task Releasing_an_unknown_entry_throws_and_spools_nothing()
    {
        await Assert.ThrowsAsync<KeyNotFoundException>(() => _store.ReleaseAsync("01JQ0000000000ABCD", _spool));
        Assert.Empty(_spool.List());
    }

    [Fact]
    public async Task Concurrent_releases_of_one_entry_spool_it_once()
    {
        var id = await _store.AddAsync(new MemoryStream(Samples.Message()), Samples.Entry());
        var attempts = Enumerable.Range(0, 8).Select(_ => Task.Run(() => _store.ReleaseAsync(id, _spool))).ToArray();
        try { await Task.WhenAll(attempts); }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or FileNotFoundException) { }
        Assert.Equal(1, attempts.Count(t => t.IsCompletedSuccessfully));
        Assert.Single(_spool.List());
        Assert.Null(_store.Get(id));
    }

    [Fact]
    public async Task A_released_entry_stays_released_for_a_new_store_instance()
    {
        var id = await _store.AddAsync(new MemoryStream(Samples.Message()), Samples.Entry());
        await _store.ReleaseAsync(id, _spool);
        var reopened = new QuarantineStore(_store.Root, TimeSpan.FromDays(30), _clock);
        Assert.Null(reopened.Get(id));
        Assert.Empty(reopened.List());
    }
}
