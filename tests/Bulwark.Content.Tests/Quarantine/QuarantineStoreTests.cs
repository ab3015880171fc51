using Bulwark.Content.Quarantine;
using Bulwark.Delivery.Spool;
using Bulwark.Policy.Content;

namespace Bulwark.Content.Tests.Quarantine;

public sealed class QuarantineStoreTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ManualClock _clock = new(Samples.T0);
    private readonly QuarantineStore _store;

    public QuarantineStoreTests() => _store = new QuarantineStore(_dir.Sub("q"), TimeSpan.FromDays(7), _clock);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Add_stores_message_and_metadata_that_get_list_and_open_return()
    {
        var bytes = Samples.Message();
        var id = await _store.AddAsync(new MemoryStream(bytes), Samples.Entry("bob@example.org", "carol@example.org"));

        var entry = _store.Get(id)!;
        Assert.Equal(id, entry.Id);
        Assert.Equal(Samples.T0, entry.QuarantinedAt);
        Assert.Equal(("spam: score 12.00", "spammer@example.com", "192.0.2.7", "mx.example.com", "01JQ0000000000ABCD"),
            (entry.Reason, entry.Sender, entry.ClientIp, entry.Helo, entry.QueueId));
        Assert.Equal(Samples.T0.AddMinutes(-1), entry.ReceivedAt);
        Assert.Equal((12.0, 15.0), (entry.Score!.Value, entry.RequiredScore!.Value));
        Assert.Null(entry.VirusSignature);
        Assert.Equal(["bob@example.org", "carol@example.org"], entry.Recipients);
        Assert.Equal(["BAYES_SPAM", "R_DKIM_REJECT"], entry.Symbols!);
        Assert.Equal(id, Assert.Single(_store.List()).Id);
        Assert.Equal(bytes, Samples.ReadAll(_store.OpenMessage(id)));
    }

    [Fact]
    public async Task Files_are_named_by_id_and_the_metadata_is_readable_json()
    {
        var id = await _store.AddAsync(new MemoryStream(Samples.Message()),
            Samples.Entry() with { VirusSignature = "Eicar-Test-Signature" });
        Assert.True(File.Exists(Path.Combine(_store.EntriesDir, id + ".eml")));
        var json = await File.ReadAllTextAsync(Path.Combine(_store.EntriesDir, id + ".json"));
        foreach (var field in new[] { "\"id\"", "\"reason\"", "\"score\"", "\"requiredScore\"", "\"symbols\"",
                     "\"virusSignature\": \"Eicar-Test-Signature\"", "\"recipients\"", "\"sender\"", "\"clientIp\"",
                     "\"helo\"", "\"queueId\"", "\"receivedAt\"", "\"quarantinedAt\"" })
            Assert.Contains(field, json);
        Assert.Empty(Directory.EnumerateFiles(_store.TmpDir));
    }

    [Fact]
    public async Task Ids_are_unique_short_and_filename_safe_under_concurrency()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, 50)
            .Select(i => _store.AddAsync(new MemoryStream(Samples.Message($"n{i}")), Samples.Entry())));
        Assert.Equal(50, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^[0-9A-Z]{18}$", id));
        Assert.Equal(ids.Order(StringComparer.Ordinal), _store.List().Select(e => e.Id));
    }

    [Fact]
    public async Task Entries_survive_a_new_store_instance()
    {
        var bytes = Samples.Message();
        var id = await _store.AddAsync(new MemoryStream(bytes), Samples.Entry());
        var reopened = new QuarantineStore(_store.Root, TimeSpan.FromDays(7), _clock);
        Assert.Equal(_store.Get(id)!.Reason, reopened.Get(id)!.Reason);
        Assert.Equal(Samples.T0, reopened.Get(id)!.QuarantinedAt);
        Assert.Equal(bytes, Samples.ReadAll(reopened.OpenMessage(id)));
    }

    [Fact]
    public void A_new_store_removes_what_a_crash_left_half_written()
    {
        File.WriteAllText(Path.Combine(_store.TmpDir, "01JQ0000000000ZZZZ.eml"), "partial");
        File.WriteAllText(Path.Combine(_store.EntriesDir, "01JQ0000000000YYYY.eml"), "no metadata");
        var reopened = new QuarantineStore(_store.Root, TimeSpan.FromDays(7), _clock);
        Assert.Empty(reopened.List());
        Assert.Empty(Directory.EnumerateFiles(reopened.TmpDir));
        Assert.Empty(Directory.EnumerateFiles(reopened.EntriesDir));
    }

    [Fact]
    public async Task A_failed_add_keeps_nothing()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _store.AddAsync(new MemoryStream(Samples.Message()), Samples.Entry(), cts.Token));
        Assert.Empty(_store.List());
        Assert.Empty(Directory.EnumerateFiles(_store.TmpDir));
        Assert.Empty(Directory.EnumerateFiles(_store.EntriesDir));
    }

    [Fact]
    public async Task Delete_removes_the_entry_once()
    {
        var id = await _store.AddAsync(new MemoryStream(Samples.Message()), Samples.Entry());
        Assert.True(_store.Delete(id));
        Assert.False(_store.Delete(id));
        Assert.Null(_store.Get(id));
        Assert.Empty(_store.List());
        Assert.Throws<FileNotFoundException>(() => _store.OpenMessage(id));
        Assert.Empty(Directory.EnumerateFiles(_store.EntriesDir));
        Assert.Empty(Directory.EnumerateFiles(_store.TmpDir));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("")]
    [InlineData("01JQ0000000000ABC/")]
    [InlineData("01jq0000000000abcd")]
    public void Ids_that_are_not_ours_never_reach_the_file_system(string id)
    {
        Assert.Null(_store.Get(id));
        Assert.False(_store.Delete(id));
        Assert.Throws<ArgumentException>(() => _store.OpenMessage(id));
    }

    [Fact]
    public async Task Purge_removes_only_entries_older_than_the_retention()
    {
        var old1 = await _store.AddAsync(new MemoryStream(Samples.Message()), Samples.Entry());
        var old2 = await _store.AddAsync(new MemoryStream(Samples.Message()), Samples.Entry());
        _clock.Advance(TimeSpan.FromDays(5));
        var young = await _store.AddAsync(new MemoryStream(Samples.Message()), Samples.Entry());

        _clock.Advance(TimeSpan.FromDays(2)); // old ones exactly 7 days: not older than the retention yet
        Assert.Equal(0, _store.Purge());
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, _store.Purge());
        Assert.Equal(young, Assert.Single(_store.List()).Id);
        Assert.Null(_store.Get(old1));
        Assert.Null(_store.Get(old2));
        Assert.Equal(0, _store.Purge());
    }

    [Fact]
    public void Entry_for_an_envelope_keeps_the_scanners_findings()
    {
        var envelope = new Envelope("01JQ0000000000ABCD", "", ["a@example.org", "b@example.org"], "2001:db8::1", "helo.example", Samples.T0);
        var report = new ScanReport(new VirusScan(ScanStatus.Done), new SpamScan(ScanStatus.Done, 11.5, 15, "add header", ["X"]));
        var entry = QuarantineEntry.For(envelope, ["b@example.org"], "spam", report);
        Assert.Equal(["b@example.org"], entry.Recipients);
        Assert.Equal(("", "2001:db8::1", "helo.example", "01JQ0000000000ABCD"), (entry.Sender, entry.ClientIp, entry.Helo, entry.QueueId));
        Assert.Equal((11.5, 15.0), (entry.Score!.Value, entry.RequiredScore!.Value));
        Assert.Null(entry.VirusSignature);
        var virus = QuarantineEntry.For(envelope, ["a@example.org"], "virus",
            new ScanReport(new VirusScan(ScanStatus.Done, "Eicar"), new SpamScan(ScanStatus.Unavailable)));
        Assert.Equal("Eicar", virus.VirusSignature);
        Assert.Null(virus.Score);
    }
}
