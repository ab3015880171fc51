using Bulwark.Policy.Checks;
using Bulwark.Policy.Content;
using Bulwark.Policy.Dkim;
using Bulwark.Policy.Dmarc;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Reputation;
using Bulwark.Policy.Sessions;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Tests.Checks;

/// <summary>The end-of-DATA pipeline with DMARC on: data.from, data.dkim, data.arc and
/// data.dmarc in that order, each reading what the one before found.</summary>
public sealed class DmarcCheckTests
{
    private static readonly DnsChecks Dns = new(true, [IpNetworks.Parse("10.0.0.0/8")], MailFromOptions.Default, IprevAction.RecordOnly, TimeSpan.FromSeconds(25));
    private static readonly SessionPolicy Policy = new() { Dns = Dns, ScanContent = true, Dmarc = new DmarcSettings() };

    private static DmarcDiscoveryResult Found(string text)
    {
        Assert.True(DmarcRecordParser.TryParse(text, out var record, out _));
        return DmarcDiscoveryResult.Found("sender.test", record, "sender.test");
    }

    private static (Verdict Verdict, SessionFacts Session) Run(FakeAsks asks)
    {
        var session = Phases.Session(inTransaction: true, recipients: 1, asks: asks);
        var facts = new MessageFacts(session, new DataOutcome(DataFaults.None, 100, true), "Q1", () => new MemoryStream());
        var run = SessionPipelines.Standard(Policy).Message.RunAsync(facts, session.Transaction!.FindingSink);
        return (run.AsTask().GetAwaiter().GetResult(), session);
    }

    [Fact]
    public void The_checks_run_in_order_and_only_with_dns_and_dmarc_on()
    {
        Assert.Equal(["data.size", "data.nul", "data.line-ends", "data.line-length", "data.from", "data.dkim", "data.arc", "data.dmarc", "data.content"],
            SessionPipelines.Standard(Policy).Message.Names);
        Assert.DoesNotContain("data.dmarc", SessionPipelines.Standard(Policy with { Dmarc = DmarcSettings.Off }).Message.Names);
        Assert.DoesNotContain("data.from", SessionPipelines.Standard(Policy with { Dns = DnsChecks.Off }).Message.Names);
    }

    [Fact]
    public void A_message_without_from_is_refused_before_anything_is_asked()
    {
        var asks = new FakeAsks { From = new FromHeader(0, [], true) };
        var (verdict, _) = Run(asks);

        Assert.Equal("data.from", verdict.Check);
        Assert.Equal("550 5.7.1", $"{verdict.Reply.Code} {verdict.Reply.EnhancedCode}");
        Assert.Equal(["from"], asks.Asked);
    }

    [Fact]
    public void P_reject_without_alignment_is_refused_and_the_content_is_never_scanned()
    {
        var asks = new FakeAsks
        {
            From = new FromHeader(1, ["sender.test"], true), Dkim = DkimFindings.None, Arc = Arc.ArcFindings.None,
            DmarcPolicy = Found("v=DMARC1; p=reject"),
        };
        var (verdict, session) = Run(asks);

        Assert.Equal("data.dmarc", verdict.Check);
        Assert.Equal("5.7.26", verdict.Reply.EnhancedCode);
        Assert.Equal(Evidence.DmarcReject, verdict.Evidence);
        Assert.DoesNotContain("scan", asks.Asked);
        Assert.Equal(DmarcAction.Rejected, session.Transaction!.Find<DmarcFinding>()?.Action);
    }

    [Fact]
    public void An_aligned_signature_found_by_data_dkim_makes_dmarc_pass()
    {
        var asks = new FakeAsks
        {
            From = new FromHeader(1, ["sender.test"], true), Arc = Arc.ArcFindings.None,
            Dkim = new DkimFindings([new DkimSignatureResult("sender.test", "s1", "rsa-sha256", DkimOutcome.Pass)]),
            DmarcPolicy = Found("v=DMARC1; p=reject"), Scan = new ScanReport(new VirusScan(ScanStatus.Done), new SpamScan(ScanStatus.Done, Score: 1)),
        };
        var (verdict, session) = Run(asks);

        Assert.True(verdict.IsAccept, verdict.Reply.ToWire());
        Assert.Equal(DmarcOutcome.Pass, session.Transaction!.Find<DmarcFinding>()?.Result.Result);
        Assert.Equal(["from", "dkim 5", "arc", "dmarc sender.test", "scan"], asks.Asked);
    }

    [Fact]
    public void A_policy_ask_that_fails_defers_with_4_4_3()
    {
        // DmarcPolicy unset: the fake throws, as a timed-out ask would.
        var asks = new FakeAsks { From = new FromHeader(1, ["sender.test"], true), Dkim = DkimFindings.None, Arc = Arc.ArcFindings.None };
        var (verdict, _) = Run(asks);

        Assert.Equal("data.dmarc", verdict.Check);
        Assert.Equal("451 4.4.3", $"{verdict.Reply.Code} {verdict.Reply.EnhancedCode}");
    }
}
