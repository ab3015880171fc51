using System.Text.Json;
using Bulwark.EndToEnd.Tests.Infrastructure;
using Bulwark.Tests.Shared;
using MailKit.Net.Smtp;
using MimeKit;

namespace Bulwark.EndToEnd.Tests;

/// <summary>Real clamd and rspamd, a node relaying to a real smtp-sink; carol wants every
/// message (her spam thresholds are "never"), alice and bob have the defaults.</summary>
public sealed class ContentFixture : IAsyncLifetime
{
    public ClamdServer Clamd { get; } = new();
    public RspamdServer Rspamd { get; } = new();
    public SmtpSink Sink { get; } = new();
    public BulwarkNode Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Clamd.Start();
        Rspamd.Start();
        Sink.Start();
        Node = await BulwarkNode.StartAsync(new Dictionary<string, string>
        {
            ["BULWARK_Content__Clamd"] = Clamd.Endpoint,
            ["BULWARK_Content__Rspamd"] = Rspamd.Url,
            ["BULWARK_Content__ClamdTimeoutSeconds"] = "3",
            ["BULWARK_Content__RspamdTimeoutSeconds"] = "3",
            ["BULWARK_Content__BreakerFailures"] = "2",
            ["BULWARK_Content__BreakerCoolDownSeconds"] = "1",
            ["BULWARK_Content__Recipients__0__Address"] = "carol@example.test",
            ["BULWARK_Content__Recipients__0__MarkAt"] = "never",
            ["BULWARK_Content__Recipients__0__QuarantineAt"] = "never",
            ["BULWARK_Content__Recipients__0__RefuseAt"] = "never",
            ["BULWARK_Delivery__NextHop__Host"] = "127.0.0.1",
            ["BULWARK_Delivery__NextHop__Port"] = Sink.Port.ToString(),
            ["BULWARK_Reputation__Enabled"] = "false",
        });
    }

    public Task DisposeAsync()
    {
        Node.Dispose();
        Sink.Dispose();
        Rspamd.Dispose();
        Clamd.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition("content")]
public sealed class ContentCollection : ICollectionFixture<ContentFixture>;

[Collection("content")]
public sealed class ContentScanningTests(ContentFixture fixture)
{
    private const string Sender = "sender@remote.test";

    private async Task<string?> SendAsync(string body, params string[] recipients)
    {
        using var client = await RawSmtpClient.ConnectAsync(fixture.Node.SmtpPort);
        await client.ReadReplyAsync();
        await client.CommandAsync("EHLO client.test");
        await client.CommandAsync($"MAIL FROM:<{Sender}>");
        foreach (var rcpt in recipients) Assert.StartsWith("250", await client.CommandAsync($"RCPT TO:<{rcpt}>"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        await client.SendAsync(body + ".\r\n");
        return await client.ReadReplyAsync(TimeSpan.FromSeconds(30));
    }

    private static string Message(string subject, string text) =>
        $"From: <{Sender}>\r\nTo: <alice@example.test>\r\nSubject: {subject}\r\nMessage-ID: <{Guid.NewGuid()}@remote.test>\r\n\r\n{text}\r\n";

    [Fact]
    public async Task Clean_mail_is_scanned_and_delivered_with_the_scanners_headers()
    {
        var subject = "clean-" + Guid.NewGuid();
        Assert.StartsWith("250 2.0.0 queued as", await SendAsync(Message(subject, "Hello, lunch on Friday?"), "alice@example.test"));

        var dump = await fixture.Sink.WaitForMessageAsync(subject, TimeSpan.FromSeconds(20));
        Assert.Contains("X-Virus-Scanned: ClamAV (clamd)", dump);
        Assert.Contains("X-Spam-Status: No, score=", dump);
    }

    [Fact]
    public async Task EICAR_as_raw_text_is_refused_in_session_and_never_delivered()
    {
        var subject = "eicar-raw-" + Guid.NewGuid();
        var reply = await SendAsync(Message(subject, ClamdServer.Eicar), "alice@example.test");

        Assert.StartsWith("550 5.7.1 ", reply);
        await Task.Delay(500);
        Assert.DoesNotContain(fixture.Sink.Messages(), m => m.Contains(subject));
    }

    [Fact]
    public async Task EICAR_inside_a_base64_attachment_is_refused()
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(Sender));
        message.To.Add(MailboxAddress.Parse("bob@example.test"));
        message.Subject = "eicar-attachment-" + Guid.NewGuid();
        var builder = new BodyBuilder { TextBody = "see the attachment" };
        builder.Attachments.Add("eicar.com", System.Text.Encoding.ASCII.GetBytes(ClamdServer.Eicar), new ContentType("application", "octet-stream"));
        message.Body = builder.ToMessageBody();

        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", fixture.Node.SmtpPort, MailKit.Security.SecureSocketOptions.None);
        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(message));
        Assert.Equal(550, (int)refused.StatusCode);
        Assert.Contains("Eicar", refused.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task GTUBE_for_recipients_who_all_refuse_spam_is_refused_in_session()
    {
        var reply = await SendAsync(Message("gtube-" + Guid.NewGuid(), RspamdServer.Gtube), "alice@example.test", "bob@example.test");
        Assert.Equal("550 5.7.1 message refused as spam", reply);
    }

    [Fact]
    public async Task When_recipients_disagree_one_250_delivers_to_the_willing_and_quarantines_for_the_others_then_release_delivers()
    {
        var subject = "gtube-split-" + Guid.NewGuid();
        Assert.StartsWith("250 2.0.0 queued as", await SendAsync(Message(subject, RspamdServer.Gtube), "alice@example.test", "carol@example.test"));

        var delivered = await fixture.Sink.WaitForMessageAsync(subject, TimeSpan.FromSeconds(20));
        Assert.Contains("X-Rcpt-Args: <carol@example.test>", delivered);
        Assert.DoesNotContain("X-Rcpt-Args: <alice@example.test>", delivered);

        var (listExit, list) = await fixture.Node.CliAsync("quarantine", "list", "--json");
        Assert.Equal(0, listExit);
        string? id = null;
        foreach (var entry in JsonDocument.Parse(list).RootElement.EnumerateArray())
        {
            var candidate = entry.GetProperty("id").GetString()!;
            var (_, shown) = await fixture.Node.CliAsync("quarantine", "show", candidate);
            if (shown.Contains(subject) && entry.GetProperty("recipients").EnumerateArray().Select(r => r.GetString()).SequenceEqual(["alice@example.test"]))
                id = candidate;
        }
        Assert.NotNull(id);

        var (releaseExit, released) = await fixture.Node.CliAsync("quarantine", "release", id!);
        Assert.True(releaseExit == 0, released);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && !fixture.Sink.Messages().Any(m => m.Contains(subject) && m.Contains("X-Rcpt-Args: <alice@example.test>")))
            await Task.Delay(100);
        Assert.Contains(fixture.Sink.Messages(), m => m.Contains(subject) && m.Contains("X-Rcpt-Args: <alice@example.test>"));
    }

    [Fact]
    public async Task A_quarantined_copy_is_shown_and_deleted_from_the_command_line()
    {
        var subject = "gtube-delete-" + Guid.NewGuid();
        Assert.StartsWith("250 2.0.0 queued as", await SendAsync(Message(subject, RspamdServer.Gtube), "alice@example.test", "carol@example.test"));

        var (_, list) = await fixture.Node.CliAsync("quarantine", "list", "--json");
        string? id = null;
        foreach (var entry in JsonDocument.Parse(list).RootElement.EnumerateArray())
        {
            var candidate = entry.GetProperty("id").GetString()!;
            var (showExit, shown) = await fixture.Node.CliAsync("quarantine", "show", candidate);
            Assert.Equal(0, showExit);
            if (shown.Contains(subject)) id = candidate;
        }
        Assert.NotNull(id);
        var (table, tableText) = await fixture.Node.CliAsync("quarantine", "list");
        Assert.Equal(0, table);
        Assert.Contains(id, tableText);

        var (deleteExit, deleted) = await fixture.Node.CliAsync("quarantine", "delete", id!);
        Assert.True(deleteExit == 0, deleted);
        var (goneExit, gone) = await fixture.Node.CliAsync("quarantine", "show", id!);
        Assert.Equal(1, goneExit);
        Assert.Contains("404", gone);
        var (again, _) = await fixture.Node.CliAsync("quarantine", "delete", id!);
        Assert.Equal(1, again);
    }

    [Fact]
    public async Task Nothing_is_ever_sent_to_the_envelope_sender_of_refused_or_quarantined_mail()
    {
        await SendAsync(Message("dsn-virus", ClamdServer.Eicar), "alice@example.test");
        await SendAsync(Message("dsn-spam", RspamdServer.Gtube), "alice@example.test");
        await SendAsync(Message("dsn-split", RspamdServer.Gtube), "bob@example.test", "carol@example.test");
        await Task.Delay(2000);

        Assert.DoesNotContain(fixture.Sink.Messages(), m => m.Contains($"X-Rcpt-Args: <{Sender}>"));
        Assert.DoesNotContain(fixture.Sink.Messages(), m => m.Contains("MAILER-DAEMON", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(Directory.Exists(Path.Combine(fixture.Node.DataDirectory, "spool", "dead"))
            ? Directory.GetFiles(Path.Combine(fixture.Node.DataDirectory, "spool", "dead")) : []);
    }

    [Fact]
    public async Task A_scanner_stopped_mid_run_gives_451_and_service_recovers_when_it_is_back()
    {
        try
        {
            fixture.Clamd.Stop();
            var reply = await SendAsync(Message("scanner-down-" + Guid.NewGuid(), "hello"), "alice@example.test");
            Assert.Equal("451 4.3.0 content scanner unavailable, try again later", reply);
        }
        finally
        {
            fixture.Clamd.Start();
        }
        var subject = "scanner-back-" + Guid.NewGuid();
        string? again = null;
        for (var i = 0; i < 20 && again?.StartsWith("250") != true; i++)
        {
            again = await SendAsync(Message(subject, "hello again"), "alice@example.test");
            if (again?.StartsWith("250") != true) await Task.Delay(500);
        }
        Assert.StartsWith("250 2.0.0 queued as", again);
    }
}
