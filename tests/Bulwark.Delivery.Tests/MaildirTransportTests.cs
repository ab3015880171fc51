using Bulwark.Delivery.Transports;

namespace Bulwark.Delivery.Tests;

public sealed class MaildirTransportTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Delivers_same_bytes_into_new_of_each_recipient()
    {
        var transport = new MaildirTransport(_dir.Path);
        var body = TestMail.Message();
        var env = TestMail.Envelope("0000000000000AAAAA", "Bob@Example.COM", "carol@example.com");

        var results = await transport.DeliverAsync(env, new MemoryStream(body), CancellationToken.None);

        Assert.All(results, r => Assert.Equal(RecipientOutcome.Delivered, r.Outcome));
        foreach (var (rcpt, local) in new[] { ("Bob@Example.COM", "bob"), ("carol@example.com", "carol") })
        {
            var maildir = Path.Combine(_dir.Path, "example.com", local);
            Assert.Equal(maildir, transport.MaildirOf(rcpt));
            var file = Assert.Single(Directory.GetFiles(Path.Combine(maildir, "new")));
            Assert.Equal(body, File.ReadAllBytes(file));
            Assert.Empty(Directory.GetFiles(Path.Combine(maildir, "tmp")));
            Assert.True(Directory.Exists(Path.Combine(maildir, "cur")));
        }
    }

    [Fact]
    public async Task Unseekable_body_is_delivered_to_every_recipient()
    {
        var transport = new MaildirTransport(_dir.Path);
        var body = TestMail.Message();
        var results = await transport.DeliverAsync(TestMail.Envelope("0000000000000AAAAA", "a@x.org", "b@x.org"),
            new ForwardOnly(body), CancellationToken.None);
        Assert.All(results, r => Assert.Equal(RecipientOutcome.Delivered, r.Outcome));
        Assert.Equal(body, File.ReadAllBytes(Directory.GetFiles(Path.Combine(_dir.Path, "x.org", "b", "new")).Single()));
    }

    [Fact]
    public async Task Hostile_addresses_stay_inside_the_root()
    {
        var transport = new MaildirTransport(_dir.Path);
        var results = await transport.DeliverAsync(
            TestMail.Envelope("0000000000000AAAAA", "../../etc@example.com", "x@..", "nodomain"),
            new MemoryStream(TestMail.Message()), CancellationToken.None);

        Assert.Equal(RecipientOutcome.Delivered, results[0].Outcome);
        Assert.Equal(RecipientOutcome.Delivered, results[1].Outcome);
        Assert.Equal(RecipientOutcome.Failed, results[2].Outcome);
        var all = Directory.GetFiles(_dir.Path, "*", SearchOption.AllDirectories);
        Assert.Equal(2, all.Length);
        Assert.All(all, f => Assert.StartsWith(_dir.Path + Path.DirectorySeparatorChar, Path.GetFullPath(f)));
        Assert.Equal("_._.._etc", MaildirNames.Segment("../../etc"));
        Assert.Equal("_.", MaildirNames.Segment(".."));
    }

    [Fact]
    public void Unique_names_differ_and_escape_the_host()
    {
        var now = DateTimeOffset.UtcNow;
        var names = Enumerable.Range(0, 1000).Select(_ => MaildirNames.UniqueName(now)).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(names, n => Assert.DoesNotContain('/', n));
        Assert.All(names, n => Assert.DoesNotContain(':', n));
    }

    private sealed class ForwardOnly(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
