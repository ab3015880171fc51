using System.Text;
using System.Text.RegularExpressions;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Actors.Tests.Listener;

/// <summary>
/// SMTP smuggling (the 2023 disclosures) against a real listener over loopback: every fake end
/// of data, at every place in the body, pipelined in one write. Only CRLF "." CRLF may end a
/// body; anything else is body, and a body with a bare CR, bare LF or NUL is refused whole.
/// See docs/smuggling.md.
/// </summary>
public sealed class SmugglingMatrixTests(SmugglingListener node) : IClassFixture<SmugglingListener>
{
    private const string Envelope = "EHLO client.test\r\nMAIL FROM:<sender@remote.test>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n";
    private static readonly string[] EnvelopeReplies =
        ["250 SMTPUTF8", "250 2.1.0 sender OK", "250 2.1.5 recipient OK", "354 end data with <CR><LF>.<CR><LF>"];
    private static readonly string[] Afterwards = [Replies.NoopOk.ToWire(), Replies.Bye.ToWire()];

    public static TheoryData<string, FakeEndPlacement> Matrix => SmugglingCases.Matrix();
    public static TheoryData<string> DotFirst => SmugglingCases.DotFirst();
    public static TheoryData<string> Published => SmugglingCases.Published();

    /// <summary>MAIL, RCPT and DATA pipelined in one write; then the body, NOOP and QUIT in
    /// another. Returns every reply after the 354, up to the server closing the connection.</summary>
    private async Task<List<string>> ConverseAsync(string body)
    {
        using var client = await node.ConnectAsync();
        await client.SendAsync(Envelope);
        Assert.Equal(EnvelopeReplies, await client.ReadRepliesAsync(4));
        await client.SendAsync(body + "NOOP\r\nQUIT\r\n");
        return await client.ReadToEndAsync();
    }

    private async Task AssertRefusedAndNothingKeptAsync(Func<Task<List<string>>> conversation, string[] expected)
    {
        var committed = node.Committed();
        var handed = (await node.HandedToDeliveryAsync()).Count;

        var replies = await conversation();

        // Exactly these replies, in order, then the server's close after QUIT: one final reply
        // to the body, no 250 for the smuggled MAIL FROM, no second 354.
        Assert.Equal(expected, replies);
        Assert.Matches(@"^5\d\d 5\.\d{1,3}\.\d{1,3} ", replies[0]);
        Assert.DoesNotContain(Replies.SenderOk.ToWire(), replies);
        Assert.DoesNotContain(replies, r => r.StartsWith("354"));
        Assert.Equal(committed, node.Committed());
        Assert.Equal(handed, (await node.HandedToDeliveryAsync()).Count);
        Assert.Empty(node.TmpFiles());
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public Task A_fake_end_of_data_is_body_and_the_message_is_refused(string terminator, FakeEndPlacement placement) =>
        AssertRefusedAndNothingKeptAsync(() => ConverseAsync(SmugglingCases.Body(terminator, placement)),
            SmugglingCases.ExpectedReplies(terminator, placement));

    [Theory]
    [MemberData(nameof(DotFirst))]
    public Task A_fake_end_whose_dot_is_the_first_byte_of_the_body_is_body(string terminator) =>
        AssertRefusedAndNothingKeptAsync(
            () => ConverseAsync(SmugglingCases.Decode(terminator) + SmugglingCases.Smuggled + SmugglingCases.RealEnd),
            [SmugglingCases.ExpectedRefusal(terminator), .. Afterwards]);

    /// <summary>A smuggler need not wait for the 354: greeting aside, the whole dialogue in one write.</summary>
    [Theory]
    [MemberData(nameof(Published))]
    public Task A_fake_end_in_a_dialogue_sent_in_one_write_is_body(string terminator) =>
        AssertRefusedAndNothingKeptAsync(async () =>
        {
            using var client = await node.ConnectAsync();
            await client.SendAsync(Envelope + SmugglingCases.Body(terminator, FakeEndPlacement.InMiddle) + "NOOP\r\nQUIT\r\n");
            var replies = await client.ReadToEndAsync();
            Assert.Equal(EnvelopeReplies, replies.Where(r => r[3] == ' ').Take(4));
            return replies.Where(r => r[3] == ' ').Skip(4).ToList();
        }, [SmugglingCases.ExpectedRefusal(terminator), .. Afterwards]);

    /// <summary>The input buffer is 8192 bytes: a line of 8191 puts its CR last in a full buffer
    /// and its LF first in the next read. The CRLF "." CRLF after it is still the end.</summary>
    [Theory]
    [InlineData(8190)]
    [InlineData(8191)]
    [InlineData(8192)]
    [InlineData(16383)]
    public Task A_real_end_after_a_line_that_fills_the_input_buffer_is_still_the_end(int lineLength) =>
        AssertRefusedAndNothingKeptAsync(
            () => ConverseAsync(SmugglingCases.Header + new string('x', lineLength) + SmugglingCases.RealEnd),
            [Replies.LineTooLongData.ToWire(), .. Afterwards]);

    public static TheoryData<string> LegalBodyNames => new(LegalBodies.Keys);

    /// <summary>What the client writes after the 354 (end included) and what must be stored after
    /// the trace header, byte for byte.</summary>
    private static readonly Dictionary<string, (string Wire, string Stored)> LegalBodies = new()
    {
        ["empty body"] = (".\r\n", ""),
        ["header only"] = ("Subject: x\r\n.\r\n", "Subject: x\r\n"),
        ["stuffed leading dot"] = ("Subject: x\r\n\r\n..leading dot\r\n.\r\n", "Subject: x\r\n\r\n.leading dot\r\n"),
        ["line that is just two dots"] = ("Subject: x\r\n\r\nabove\r\n..\r\nbelow\r\n.\r\n", "Subject: x\r\n\r\nabove\r\n.\r\nbelow\r\n"),
        ["line of three dots"] = ("Subject: x\r\n\r\n...\r\n.\r\n", "Subject: x\r\n\r\n..\r\n"),
        ["dots inside lines"] = ("Subject: x\r\n\r\na . b\r\nends with a dot.\r\n .\r\n\t.\r\n.\r\n", "Subject: x\r\n\r\na . b\r\nends with a dot.\r\n .\r\n\t.\r\n"),
        ["dot then space loses the dot"] = ("Subject: x\r\n\r\n. \r\n.x\r\n.\r\n", "Subject: x\r\n\r\n \r\nx\r\n"),
        ["first line starts with a dot"] = ("..first line\r\nSubject: x\r\n\r\nbody\r\n.\r\n", ".first line\r\nSubject: x\r\n\r\nbody\r\n"),
        ["first line is a stuffed lone dot"] = ("..\r\nbody\r\n.\r\n", ".\r\nbody\r\n"),
        ["commands on CRLF lines are content"] = ("Subject: x\r\n\r\n" + SmugglingCases.Smuggled + "\r\n.\r\n", "Subject: x\r\n\r\n" + SmugglingCases.Smuggled + "\r\n"),
        ["a correctly stuffed smuggling attempt is harmless content"] = (
            "Subject: x\r\n\r\nline1\r\n..\r\n" + SmugglingCases.Smuggled + "\r\n..\r\n.\r\n",
            "Subject: x\r\n\r\nline1\r\n.\r\n" + SmugglingCases.Smuggled + "\r\n.\r\n"),
        ["8-bit text"] = ("Subject: caf\u00e9\r\n\r\n\u00e9t\u00e9 \u00ff\r\n.\r\n", "Subject: caf\u00e9\r\n\r\n\u00e9t\u00e9 \u00ff\r\n"),
        ["a 998-byte line"] = ("Subject: x\r\n\r\n" + new string('y', 998) + "\r\n.\r\n", "Subject: x\r\n\r\n" + new string('y', 998) + "\r\n"),
    };

    [Theory]
    [MemberData(nameof(LegalBodyNames))]
    public async Task A_legal_body_is_queued_once_and_stored_unstuffed_byte_exact(string name)
    {
        var (wire, stored) = LegalBodies[name];
        var committed = node.Committed();
        var handed = (await node.HandedToDeliveryAsync()).Count;

        var replies = await ConverseAsync(wire);

        Assert.Equal(Afterwards, replies.Skip(1));
        var queued = Regex.Match(replies[0], "^250 2\\.0\\.0 queued as ([0-9A-Z]+)$");
        Assert.True(queued.Success, replies[0]);
        var queueId = queued.Groups[1].Value;
        Assert.Equal(queueId, Assert.Single(node.Committed().Except(committed)));
        Assert.Equal(queueId, Assert.Single((await node.HandedToDeliveryAsync()).Skip(handed)).QueueId);
        var envelope = node.Spool.TryGet(queueId)!;
        Assert.Equal("sender@remote.test", envelope.Sender);
        Assert.Equal(["alice@example.test"], envelope.Recipients);
        Assert.Equal(stored, StoredBodyAfterTraceHeader(queueId));
        node.Spool.Delete(queueId);
    }

    /// <summary>The stored message is the Received header the session writes, then the client's
    /// body with nothing added, dropped or re-encoded.</summary>
    private string StoredBodyAfterTraceHeader(string queueId)
    {
        using var body = node.Spool.OpenBody(queueId);
        using var copy = new MemoryStream();
        body.CopyTo(copy);
        var text = Encoding.Latin1.GetString(copy.ToArray());
        var trace = new Regex($"^Received: from client\\.test \\(\\[127\\.0\\.0\\.1\\]\\)\r\n\tby mx\\.test \\(Bulwark\\) with ESMTP id {queueId}\r\n\tfor <alice@example\\.test>;\r\n\t[A-Z][a-z]{{2}}, \\d{{2}} [A-Z][a-z]{{2}} \\d{{4}} \\d{{2}}:\\d{{2}}:\\d{{2}} \\+0000\r\n");
        var header = trace.Match(text);
        Assert.True(header.Success, text);
        return text[header.Length..];
    }
}
