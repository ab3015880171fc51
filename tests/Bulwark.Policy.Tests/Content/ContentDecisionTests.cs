using Bulwark.Policy.Content;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Tests.Content;

public sealed class ContentDecisionTests
{
    private static readonly VirusScan Clean = new(ScanStatus.Done);
    private static readonly VirusScan Infected = new(ScanStatus.Done, "Eicar-Test-Signature");
    private static readonly VirusScan VirusDown = new(ScanStatus.Unavailable, Problem: "connection refused");
    private static readonly VirusScan NoVirusScanner = new(ScanStatus.NotConfigured);
    private static readonly SpamScan SpamDown = new(ScanStatus.Unavailable, Problem: "timeout");
    private static readonly SpamScan NoSpamScanner = new(ScanStatus.NotConfigured);
    private static readonly string[] One = ["alice@example.org"];
    private static readonly string[] Three = ["alice@example.org", "bob@example.org", "carol@example.net"];
    private static readonly ContentPolicy Default = new();
    private static readonly ContentPolicy FailOpen = new() { FailOpenSpam = true };

    private static SpamScan Score(double score, string action = "no action") =>
        new(ScanStatus.Done, score, 15, action, ["SYM_A", "SYM_B"]);

    [Fact]
    public void A_virus_refuses_the_whole_message_with_a_strike()
    {
        var d = ContentDecision.Decide(new ScanReport(Infected, Score(0)), Three, Default);
        Assert.False(d.Accepted);
        Assert.Equal(VerdictKind.Deny, d.Refusal!.Kind);
        Assert.Equal("550 5.7.1 message refused: virus found (Eicar-Test-Signature)", d.Refusal.Reply.ToWire());
        Assert.Equal("data.virus", d.Refusal.Check);
        Assert.Equal(Evidence.Virus, d.Refusal.Evidence);
        AssertNobody(d);
    }

    [Theory]
    [InlineData(ScanStatus.Done)]
    [InlineData(ScanStatus.Unavailable)]
    [InlineData(ScanStatus.NotConfigured)]
    public void A_virus_wins_whatever_the_spam_scanner_said(ScanStatus spam)
    {
        var permissive = new ContentPolicy { Default = SpamThresholds.Never, FailOpenSpam = true };
        var d = ContentDecision.Decide(new ScanReport(Infected, new SpamScan(spam)), One, permissive);
        Assert.Equal(Evidence.Virus, d.Refusal!.Evidence);
    }

    [Fact]
    public void A_virus_signature_cannot_inject_into_the_reply()
    {
        var d = ContentDecision.Decide(new ScanReport(new VirusScan(ScanStatus.Done, "X\r\n250 2.0.0 ok"), Score(0)), One, Default);
        Assert.DoesNotContain('\r', d.Refusal!.Reply.Reason);
        Assert.DoesNotContain('\n', d.Refusal.Reply.Reason);
    }

    [Fact]
    public void Virus_scanner_unavailable_is_451_even_when_spam_fails_open()
    {
        var d = ContentDecision.Decide(new ScanReport(VirusDown, Score(0)), One, FailOpen);
        Assert.Equal(VerdictKind.DenySoft, d.Refusal!.Kind);
        Assert.Equal(451, d.Refusal.Reply.Code);
        Assert.Equal("4.3.0", d.Refusal.Reply.EnhancedCode);
        Assert.Equal("data.virus", d.Refusal.Check);
        Assert.Equal(Evidence.None, d.Refusal.Evidence);
        AssertNobody(d);
    }

    [Fact]
    public void Virus_scanner_unavailable_is_451_even_when_every_recipient_would_refuse_the_spam()
    {
        var d = ContentDecision.Decide(new ScanReport(VirusDown, Score(100)), Three, Default);
        Assert.Equal(451, d.Refusal!.Reply.Code);
    }

    [Fact]
    public void Spam_scanner_unavailable_is_451_by_default()
    {
        var d = ContentDecision.Decide(new ScanReport(Clean, SpamDown), Three, Default);
        Assert.Equal(VerdictKind.DenySoft, d.Refusal!.Kind);
        Assert.Equal("451 4.3.0 content scanner unavailable, try again later", d.Refusal.Reply.ToWire());
        Assert.Equal("data.spam", d.Refusal.Check);
        AssertNobody(d);
    }

    [Fact]
    public void Spam_scanner_unavailable_with_fail_open_delivers_to_all_marked_unchecked()
    {
        var d = ContentDecision.Decide(new ScanReport(Clean, SpamDown), Three, FailOpen);
        Assert.True(d.Accepted);
        Assert.True(d.SpamUnchecked);
        Assert.Equal(Three, d.Deliver);
        Assert.Empty(d.DeliverMarked);
        Assert.Empty(d.Quarantine);
        Assert.Contains(("X-Spam-Status", "Unchecked (spam scanner unavailable)"), d.Headers(false));
        Assert.DoesNotContain(d.Headers(false), h => h.Name == "X-Spam-Flag");
    }

    [Fact]
    public void No_spam_scanner_delivers_to_all_without_spam_headers()
    {
        var d = ContentDecision.Decide(new ScanReport(Clean, NoSpamScanner), Three, Default);
        Assert.True(d.Accepted);
        Assert.False(d.SpamUnchecked);
        Assert.Equal(Three, d.Deliver);
        Assert.Equal([("X-Virus-Scanned", "ClamAV (clamd)")], d.Headers(false));
    }

    [Fact]
    public void No_scanner_at_all_delivers_with_no_headers()
    {
        var d = ContentDecision.Decide(new ScanReport(NoVirusScanner, NoSpamScanner), One, Default);
        Assert.Equal(One, d.Deliver);
        Assert.Empty(d.Headers(false));
    }

    [Theory]
    [InlineData(0, "deliver")]
    [InlineData(6, "mark")]
    [InlineData(10, "quarantine")]
    public void One_verdict_for_all_recipients(double score, string where)
    {
        var d = ContentDecision.Decide(new ScanReport(Clean, Score(score)), Three, Default);
        Assert.True(d.Accepted);
        Assert.Equal(where == "deliver" ? Three : [], d.Deliver);
        Assert.Equal(where == "mark" ? Three : [], d.DeliverMarked);
        Assert.Equal(where == "quarantine" ? Three : [], d.Quarantine);
        Assert.Equal(where == "quarantine", d.QuarantineReason.Length > 0);
    }

    [Fact]
    public void Every_recipient_refusing_refuses_the_message_without_a_strike()
    {
        var d = ContentDecision.Decide(new ScanReport(Clean, Score(15)), Three, Default);
        Assert.Equal("550 5.7.1 message refused as spam", d.Refusal!.Reply.ToWire());
        Assert.Equal(VerdictKind.Deny, d.Refusal.Kind);
        Assert.Equal("data.spam", d.Refusal.Check);
        Assert.Equal(Evidence.None, d.Refusal.Evidence);
        AssertNobody(d);
    }

    [Fact]
    public void Disagreeing_recipients_get_one_250_each_their_own_way()
    {
        var policy = new ContentPolicy
        {
            PerDomain = new Dictionary<string, SpamThresholds> { ["example.net"] = new(5, 7, 9) },
            PerRecipient = new Dictionary<string, SpamThresholds>
            {
                ["alice@example.org"] = SpamThresholds.Never,
                ["bob@example.org"] = new(MarkAt: 3, QuarantineAt: null, RefuseAt: null),
                ["dave@example.org"] = new(1, 2, 20),
            },
        };
        string[] rcpts = ["alice@example.org", "bob@example.org", "carol@example.net", "dave@example.org", "erin@example.org"];
        // score 12: alice never; bob mark; carol (domain) refuse; dave quarantine; erin (default) quarantine.
        var d = ContentDecision.Decide(new ScanReport(Clean, Score(12, "rewrite subject")), rcpts, policy);
        Assert.True(d.Accepted);
        Assert.Equal(["alice@example.org"], d.Deliver);
        Assert.Equal(["bob@example.org"], d.DeliverMarked);
        Assert.Equal(["carol@example.net", "dave@example.org", "erin@example.org"], d.Quarantine);
        Assert.Equal("spam: score 12.00 (rspamd action rewrite_subject); quarantine policy of 2 recipient(s); "
            + "refuse policy of 1 recipient(s), quarantined because other recipients accept it", d.QuarantineReason);
    }

    [Fact]
    public void Refuse_and_quarantine_only_accepts_and_quarantines_everything()
    {
        var policy = new ContentPolicy
        {
            PerRecipient = new Dictionary<string, SpamThresholds> { ["alice@example.org"] = new(RefuseAt: null) },
        };
        var d = ContentDecision.Decide(new ScanReport(Clean, Score(20)), Three, policy);
        Assert.True(d.Accepted);
        Assert.Empty(d.Deliver);
        Assert.Empty(d.DeliverMarked);
        Assert.Equal(Three, d.Quarantine);
    }

    [Fact]
    public void One_refusing_recipient_with_one_accepting_never_refuses()
    {
        var policy = new ContentPolicy
        {
            PerRecipient = new Dictionary<string, SpamThresholds> { ["bob@example.org"] = SpamThresholds.Never },
        };
        string[] two = ["alice@example.org", "bob@example.org"];
        var d = ContentDecision.Decide(new ScanReport(Clean, Score(50)), two, policy);
        Assert.Null(d.Refusal);
        Assert.Equal(["bob@example.org"], d.Deliver);
        Assert.Equal(["alice@example.org"], d.Quarantine);
    }

    [Fact]
    public void Scanner_action_mode_follows_rspamd_per_recipient()
    {
        var policy = new ContentPolicy
        {
            PerRecipient = new Dictionary<string, SpamThresholds> { ["alice@example.org"] = new(UseScannerAction: true) },
        };
        string[] two = ["alice@example.org", "bob@example.org"];
        // rspamd says "add header" at a high score: alice follows rspamd, bob the default thresholds.
        var d = ContentDecision.Decide(new ScanReport(Clean, Score(12, "add header")), two, policy);
        Assert.Equal(["alice@example.org"], d.DeliverMarked);
        Assert.Equal(["bob@example.org"], d.Quarantine);
        var all = ContentDecision.Decide(new ScanReport(Clean, Score(7, "reject")), One, policy);
        Assert.Equal(ContentReplies.SpamRefused, all.Refusal!.Reply);
    }

    [Fact]
    public void Recipient_case_is_kept_in_the_output_but_ignored_for_lookup()
    {
        var policy = new ContentPolicy
        {
            PerRecipient = new Dictionary<string, SpamThresholds> { ["alice@example.org"] = SpamThresholds.Never },
        };
        var d = ContentDecision.Decide(new ScanReport(Clean, Score(50)), ["Alice@Example.org", "bob@example.org"], policy);
        Assert.Equal(["Alice@Example.org"], d.Deliver);
    }

    [Fact]
    public void Headers_of_an_accepted_message_differ_only_by_the_flag()
    {
        var d = ContentDecision.Decide(new ScanReport(Clean, Score(7)), One, Default);
        var plain = d.Headers(false);
        var marked = d.Headers(true);
        Assert.Contains(("X-Spam-Status", "No, score=7.00"), plain);
        Assert.Contains(("X-Spam-Status", "Yes, score=7.00"), marked);
        Assert.Contains(("X-Spam-Flag", "YES"), marked);
        Assert.DoesNotContain(plain, h => h.Name == "X-Spam-Flag");
        Assert.Contains(("X-Spam-Symbols", "SYM_A, SYM_B"), plain);
    }

    [Fact]
    public void No_recipients_is_a_caller_bug() =>
        Assert.Throws<ArgumentException>(() => ContentDecision.Decide(new ScanReport(Clean, Score(0)), [], Default));

    [Fact]
    public void Every_refusal_is_one_of_the_design_codes()
    {
        var reports = new[]
        {
            new ScanReport(Infected, Score(0)), new ScanReport(VirusDown, Score(0)),
            new ScanReport(Clean, SpamDown), new ScanReport(Clean, Score(99)),
        };
        foreach (var r in reports)
        {
            var reply = ContentDecision.Decide(r, One, Default).Refusal!.Reply;
            Assert.Contains(reply.ToWire()[..9], new[] { "550 5.7.1", "451 4.3.0" });
        }
    }

    private static void AssertNobody(ContentDisposition d)
    {
        Assert.Empty(d.Deliver);
        Assert.Empty(d.DeliverMarked);
        Assert.Empty(d.Quarantine);
    }
}
