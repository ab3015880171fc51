using System.Text;
using Bulwark.Delivery.Transports;

namespace Bulwark.Delivery.Tests;

public sealed class SmtpNextHopTransportTests : IAsyncLifetime
{
    private readonly List<SmtpNextHopTransport> _transports = [];

    // Transports pool their sessions now: each test's are closed when it ends.
    private SmtpNextHopTransport Transport(int port)
    {
        var transport = new SmtpNextHopTransport(new SmtpNextHopOptions("127.0.0.1", port)
        {
            ConnectTimeout = TimeSpan.FromSeconds(3),
            CommandTimeout = TimeSpan.FromSeconds(5),
            HeloName = "bulwark.test",
        });
        _transports.Add(transport);
        return transport;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var t in _transports) await t.DisposeAsync();
    }

    [Fact]
    public async Task Delivers_the_spooled_bytes_unchanged_with_envelope_addresses()
    {
        await using var sink = new SmtpSink();
        var body = TestMail.Message(body: "line\r\n.starts with a dot\r\n..two dots\r\n");
        var env = TestMail.Envelope("0000000000000AAAAA", "bob@example.com", "carol@example.com");

        var results = await Transport(sink.Port).DeliverAsync(env, new MemoryStream(body), CancellationToken.None);

        Assert.All(results, r => Assert.Equal(RecipientOutcome.Delivered, r.Outcome));
        var msg = Assert.Single(sink.Messages);
        Assert.Equal("alice@example.org", msg.MailFrom);
        Assert.Equal(["bob@example.com", "carol@example.com"], msg.Recipients);
        Assert.Equal(Encoding.UTF8.GetString(body), Encoding.UTF8.GetString(msg.Data));
        Assert.Equal(body, msg.Data);
    }

    [Fact]
    public async Task Null_sender_goes_out_as_empty_reverse_path()
    {
        await using var sink = new SmtpSink();
        var env = TestMail.Envelope("0000000000000AAAAA", "bob@example.com") with { Sender = "" };
        var results = await Transport(sink.Port).DeliverAsync(env, new MemoryStream(TestMail.Message()), CancellationToken.None);
        Assert.Equal(RecipientOutcome.Delivered, Assert.Single(results).Outcome);
        Assert.Contains(sink.Commands, c => c.StartsWith("MAIL FROM:<>", StringComparison.Ordinal));
        Assert.Equal("", Assert.Single(sink.Messages).MailFrom);
    }

    [Fact]
    public async Task Recipients_refused_5xx_fail_4xx_defer_and_the_rest_are_delivered()
    {
        await using var sink = new SmtpSink();
        sink.RcptReplies["gone@example.com"] = "550 5.1.1 no such user";
        sink.RcptReplies["busy@example.com"] = "452 4.2.2 mailbox full";
        var env = TestMail.Envelope("0000000000000AAAAA", "bob@example.com", "gone@example.com", "busy@example.com");

        var results = await Transport(sink.Port).DeliverAsync(env, new MemoryStream(TestMail.Message()), CancellationToken.None);

        Assert.Equal([RecipientOutcome.Delivered, RecipientOutcome.Failed, RecipientOutcome.Deferred], results.Select(r => r.Outcome));
        Assert.Contains("550", results[1].Detail);
        Assert.Contains("452", results[2].Detail);
        Assert.Equal(["bob@example.com"], Assert.Single(sink.Messages).Recipients);
    }

    [Fact]
    public async Task All_recipients_refused_gives_their_own_outcomes()
    {
        await using var sink = new SmtpSink();
        sink.RcptReplies["gone@example.com"] = "550 5.1.1 no such user";
        sink.RcptReplies["busy@example.com"] = "451 4.3.0 try later";
        var env = TestMail.Envelope("0000000000000AAAAA", "gone@example.com", "busy@example.com");
        var results = await Transport(sink.Port).DeliverAsync(env, new MemoryStream(TestMail.Message()), CancellationToken.None);
        Assert.Equal([RecipientOutcome.Failed, RecipientOutcome.Deferred], results.Select(r => r.Outcome));
        Assert.Empty(sink.Messages);
    }

    [Theory]
    [InlineData("554 5.6.0 content refused", RecipientOutcome.Failed)]
    [InlineData("451 4.3.0 scanner down", RecipientOutcome.Deferred)]
    public async Task Data_refusal_applies_to_every_accepted_recipient(string reply, RecipientOutcome expected)
    {
        await using var sink = new SmtpSink { DataReply = reply };
        var env = TestMail.Envelope("0000000000000AAAAA", "bob@example.com", "carol@example.com");
        var results = await Transport(sink.Port).DeliverAsync(env, new MemoryStream(TestMail.Message()), CancellationToken.None);
        Assert.All(results, r => Assert.Equal(expected, r.Outcome));
    }

    [Fact]
    public async Task Sender_refused_5xx_fails_everyone()
    {
        await using var sink = new SmtpSink { MailReply = "550 5.7.1 sender refused" };
        var results = await Transport(sink.Port).DeliverAsync(TestMail.Envelope("0000000000000AAAAA", "bob@example.com"),
            new MemoryStream(TestMail.Message()), CancellationToken.None);
        Assert.Equal(RecipientOutcome.Failed, Assert.Single(results).Outcome);
    }

    [Fact]
    public async Task Next_hop_down_defers_everyone()
    {
        var port = TestMail.FreePort();
        var results = await Transport(port).DeliverAsync(TestMail.Envelope("0000000000000AAAAA", "bob@example.com", "carol@example.com"),
            new MemoryStream(TestMail.Message()), CancellationToken.None);
        Assert.All(results, r => Assert.Equal(RecipientOutcome.Deferred, r.Outcome));
        Assert.All(results, r => Assert.Contains($"127.0.0.1:{port}", r.Detail));
    }
}
