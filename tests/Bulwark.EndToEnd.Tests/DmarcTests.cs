using System.Text;
using System.Text.Json;
using Bulwark.EndToEnd.Tests.Infrastructure;
using Bulwark.Tests.Shared;

namespace Bulwark.EndToEnd.Tests;

/// <summary>
/// DMARC and ARC end to end: policies, SPF records and keys published by a real DNS server on
/// loopback, messages signed and sealed by python3-dkim, and a real node that decides. The farm
/// hosts three domains: example.test (enforce, quarantine), marked.test (enforce, deliver with a
/// mark) and record.test (record only).
/// </summary>
public sealed class DmarcFixture : IAsyncLifetime
{
    public const string Client = "127.0.0.22";
    public const string TrustedSealer = "lists.example.org";
    public const string UntrustedSealer = "relay.example.net";

    public DkimTools Tools { get; } = new();
    public LoopbackDns Dns { get; private set; } = null!;
    public DkimTools.Key Key { get; private set; } = null!;
    public BulwarkNode Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Key = Tools.NewKey("dmarc");
        var record = Chunks(Key.Record);
        Dns = new LoopbackDns()
            // The envelope sender's domain: SPF passes for the client, so SPF aligns only with From in pass.test.
            .Txt("pass.test", $"v=spf1 ip4:{Client} -all").Mx("pass.test", "mx.pass.test").Host("mx.pass.test", "127.0.0.99")
            .Host("client22.pass.test", Client)
            .Txt("_dmarc.pass.test", "v=DMARC1; p=reject")
            .Txt("_dmarc.reject.test", "v=DMARC1; p=reject; adkim=s")
            .Txt("sel._domainkey.reject.test", record)
            .Txt("sel._domainkey.pass.test", record)
            .Txt("_dmarc.quarantine.test", "v=DMARC1; p=quarantine")
            .Txt("_dmarc.none.test", "v=DMARC1; p=none")
            .Txt("_dmarc.sampled.test", "v=DMARC1; p=reject; pct=0")
            // The Organizational Domain of mail.example.co.uk under the Public Suffix List.
            .Txt("_dmarc.example.co.uk", "v=DMARC1; p=none; sp=reject")
            .Txt($"arc._domainkey.{TrustedSealer}", record)
            .Txt($"arc._domainkey.{UntrustedSealer}", record)
            .Start();
        var overrides = DnsAuthorityFixture.Overrides(Dns, "record", reputation: false);
        overrides["BULWARK_Dns__DmarcTrustedArcSealers__0"] = TrustedSealer;
        overrides["BULWARK_Domains__1__Name"] = "marked.test";
        overrides["BULWARK_Domains__1__CatchAll"] = "true";
        overrides["BULWARK_Domains__1__DmarcQuarantine"] = "deliver";
        overrides["BULWARK_Domains__2__Name"] = "record.test";
        overrides["BULWARK_Domains__2__CatchAll"] = "true";
        overrides["BULWARK_Domains__2__Dmarc"] = "record";
        Node = await BulwarkNode.StartAsync(overrides);
    }

    private static string[] Chunks(string record) => record.Chunk(200).Select(c => new string(c)).ToArray();

    public Task DisposeAsync()
    {
        Node.Dispose();
        Dns.Dispose();
        Tools.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class DmarcTests(DmarcFixture fixture) : IClassFixture<DmarcFixture>
{
    private static string Message(string subject, string from, string? extraHeaders = null) =>
        (from.Length == 0 ? "" : $"From: {from}\r\n") + (extraHeaders ?? "") +
        $"To: bob@example.test\r\nSubject: {subject}\r\nDate: Fri, 04 Dec 2026 04:00:00 +0000\r\n" +
        $"Message-ID: <{subject}@dmarc.test>\r\n\r\nHello there.\r\n";

    private static string NewSubject(string name) => name + "-" + Guid.NewGuid();

    /// <summary>Sends one message to one recipient; the reply to the end of DATA.</summary>
    private async Task<string> SendAsync(string message, string recipient = "bob@example.test")
    {
        using var client = await RawSmtpClient.ConnectAsync(fixture.Node.SmtpPort, DmarcFixture.Client);
        await client.ReadReplyAsync();
        await client.CommandAsync("EHLO client22.pass.test");
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<user@pass.test>"));
        Assert.StartsWith("250", await client.CommandAsync($"RCPT TO:<{recipient}>"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        await client.SendAsync(message + ".\r\n");
        return (await client.ReadReplyAsync())!;
    }

    private async Task<string> DeliveredResults(string subject, string user = "bob", string domain = "example.test") =>
        DeliveredMail.AuthenticationResults(await DeliveredMail.WaitAsync(fixture.Node, user, subject, domain));

    private string Signed(string message, string domain = "reject.test") =>
        Encoding.ASCII.GetString(fixture.Tools.Sign(Encoding.ASCII.GetBytes(message), "sel", domain, fixture.Key));

    /// <summary>The message as a mailing list at <paramref name="sealer"/> passes it on: DMARC
    /// passed when it arrived there, the list added a footer (breaking the author's signature)
    /// and sealed the result.</summary>
    private string ThroughList(string signedMessage, string sealer)
    {
        var received = $"Authentication-Results: {sealer}; dkim=pass header.d=reject.test; dmarc=pass header.from=reject.test\r\n" + signedMessage;
        var changed = received.Replace("Hello there.\r\n", "Hello there.\r\n-- \r\nlist footer\r\n");
        return Encoding.ASCII.GetString(fixture.Tools.ArcSeal(Encoding.ASCII.GetBytes(changed), "arc", sealer, fixture.Key, sealer));
    }

    [Fact]
    public async Task P_reject_without_an_aligned_identifier_is_refused_with_5_7_26()
    {
        var reply = await SendAsync(Message(NewSubject("dmarc-reject"), "Alice <alice@reject.test>"));
        Assert.StartsWith("550 5.7.26", reply);
        Assert.Contains("reject.test", reply);
    }

    [Fact]
    public async Task A_refusal_is_counted_on_metrics_and_on_the_dashboard()
    {
        Assert.StartsWith("550 5.7.26", await SendAsync(Message(NewSubject("dmarc-counted"), "alice@reject.test")));

        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(fixture.Node.AdminUrl + "/metrics");
        Assert.Matches(@"bulwark_dmarc_actions_total\{[^}]*action=""rejected""[^}]*\} [1-9]", metrics);
        Assert.Matches(@"bulwark_message_authentication_total\{[^}]*method=""dmarc""[^}]*result=""fail""[^}]*\} [1-9]", metrics);
        using var dashboard = JsonDocument.Parse(await http.GetStringAsync(fixture.Node.AdminUrl + "/api/dashboard"));
        var node = dashboard.RootElement.GetProperty("nodes").EnumerateArray().Single();
        Assert.True(node.GetProperty("authentication").GetProperty("dmarcRejected").GetInt64() >= 1, node.ToString());
    }

    [Fact]
    public async Task An_aligned_dkim_signature_passes_and_is_recorded_with_the_policy()
    {
        var subject = NewSubject("dmarc-dkim-aligned");
        Assert.StartsWith("250", await SendAsync(Signed(Message(subject, "Alice <alice@reject.test>"))));

        var results = await DeliveredResults(subject);
        Assert.Contains("dkim=pass header.d=reject.test header.s=sel", results);
        Assert.Contains("dmarc=pass header.from=reject.test (p=reject dis=none)", results);
    }

    [Fact]
    public async Task A_dkim_pass_for_another_domain_does_not_align()
    {
        // Signed by pass.test, and SPF passes for pass.test too: both pass, neither aligns with reject.test.
        Assert.StartsWith("550 5.7.26", await SendAsync(Signed(Message(NewSubject("dmarc-unaligned"), "alice@reject.test"), "pass.test")));
    }

    [Fact]
    public async Task Spf_aligned_with_from_passes()
    {
        var subject = NewSubject("dmarc-spf-aligned");
        Assert.StartsWith("250", await SendAsync(Message(subject, "alice@pass.test")));
        Assert.Contains("dmarc=pass header.from=pass.test", await DeliveredResults(subject));
    }

    [Fact]
    public async Task The_organizational_domains_sp_governs_its_subdomains_and_p_the_domain_itself()
    {
        Assert.StartsWith("550 5.7.26", await SendAsync(Message(NewSubject("dmarc-sp"), "alice@mail.example.co.uk")));

        var subject = NewSubject("dmarc-p-none");
        Assert.StartsWith("250", await SendAsync(Message(subject, "alice@example.co.uk")));
        Assert.Contains("dmarc=fail header.from=example.co.uk (p=none dis=none)", await DeliveredResults(subject));
    }

    [Fact]
    public async Task Pct_0_downgrades_reject_to_quarantine()
    {
        var subject = NewSubject("dmarc-pct0");
        Assert.StartsWith("250", await SendAsync(Message(subject, "alice@sampled.test"), "someone@marked.test"));
        var delivered = await DeliveredMail.WaitAsync(fixture.Node, "someone", subject, "marked.test");
        Assert.Contains("X-Bulwark-DMARC: quarantine", delivered);
        Assert.Contains("dis=quarantine", DeliveredMail.AuthenticationResults(delivered));
    }

    [Fact]
    public async Task P_quarantine_holds_the_copy_in_the_quarantine_for_a_quarantining_domain()
    {
        var subject = NewSubject("dmarc-quarantine");
        Assert.StartsWith("250", await SendAsync(Message(subject, "alice@quarantine.test")));

        var (exit, list) = await fixture.Node.CliAsync("quarantine", "list", "--json");
        Assert.Equal(0, exit);
        var found = false;
        foreach (var entry in JsonDocument.Parse(list).RootElement.EnumerateArray())
        {
            var (_, shown) = await fixture.Node.CliAsync("quarantine", "show", entry.GetProperty("id").GetString()!);
            if (shown.Contains(subject)) found = entry.GetProperty("recipients").EnumerateArray().Select(r => r.GetString()).SequenceEqual(["bob@example.test"]);
        }
        Assert.True(found, list);
        await Assert.ThrowsAsync<TimeoutException>(() => DeliveredMail.WaitAsync(fixture.Node, "bob", subject));
    }

    [Fact]
    public async Task P_quarantine_for_a_deliver_with_header_domain_is_delivered_marked()
    {
        var subject = NewSubject("dmarc-marked");
        Assert.StartsWith("250", await SendAsync(Message(subject, "alice@quarantine.test"), "carol@marked.test"));
        var delivered = await DeliveredMail.WaitAsync(fixture.Node, "carol", subject, "marked.test");
        Assert.Contains("X-Bulwark-DMARC: quarantine (quarantine.test DMARC policy p=quarantine", delivered);
    }

    [Fact]
    public async Task A_record_only_domain_gets_the_mail_with_the_result_recorded()
    {
        var subject = NewSubject("dmarc-record-only");
        Assert.StartsWith("250", await SendAsync(Message(subject, "alice@reject.test"), "dave@record.test"));
        Assert.Contains("dmarc=fail header.from=reject.test (p=reject dis=none record-only)", await DeliveredResults(subject, "dave", "record.test"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Alice <alice@pass.test>\r\nFrom: Mallory <mallory@reject.test>")]
    [InlineData("not an address at all")]
    [InlineData("alice@pass.test, mallory@reject.test")]
    public async Task A_from_field_dmarc_cannot_evaluate_is_refused_with_5_7_1(string from) =>
        Assert.StartsWith("550 5.7.1 ", await SendAsync(Message(NewSubject("dmarc-from"), from)));

    [Fact]
    public async Task A_policy_lookup_that_times_out_defers_with_4_4_3()
    {
        var reply = await SendAsync(Message(NewSubject("dmarc-timeout"), $"alice@{LoopbackDns.TimeoutZone}"));
        Assert.StartsWith("451 4.4.3", reply);
    }

    [Fact]
    public async Task A_trusted_sealers_dmarc_pass_lets_a_list_message_through()
    {
        var subject = NewSubject("arc-trusted");
        var message = ThroughList(Signed(Message(subject, "alice@reject.test")), DmarcFixture.TrustedSealer);
        Assert.StartsWith("250", await SendAsync(message));

        var results = await DeliveredResults(subject);
        Assert.Contains("dkim=fail header.d=reject.test", results);
        Assert.Contains($"arc=pass (i=1 d={DmarcFixture.TrustedSealer})", results);
        Assert.Contains($"ARC set i=1 sealed by trusted {DmarcFixture.TrustedSealer} recorded dmarc=pass", results);
        Assert.Contains("dmarc=fail header.from=reject.test", results);
    }

    [Fact]
    public async Task An_untrusted_sealers_intact_chain_does_not_override()
    {
        var message = ThroughList(Signed(Message(NewSubject("arc-untrusted"), "alice@reject.test")), DmarcFixture.UntrustedSealer);
        Assert.StartsWith("550 5.7.26", await SendAsync(message));
    }
}
