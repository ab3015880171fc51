using Bulwark.Policy.Addressing;
using Bulwark.Policy.Arc;
using Bulwark.Policy.Dmarc;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Tests.Dmarc;

public class DmarcDecisionTests
{
    private static readonly Mailbox Alice = new("alice", "enforced.test");
    private static readonly Mailbox Bob = new("bob", "marked.test");
    private static readonly Mailbox Carol = new("carol", "recorded.test");

    private static readonly DmarcSettings Settings = new()
    {
        PerDomain = new Dictionary<string, DmarcDomainPolicy>(StringComparer.OrdinalIgnoreCase)
        {
            ["marked.test"] = new(DmarcEnforcement.Enforce, DmarcQuarantineAction.DeliverWithHeader),
            ["recorded.test"] = new(DmarcEnforcement.RecordOnly, DmarcQuarantineAction.Quarantine),
        },
        TrustedArcSealers = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "lists.example.org" },
    };

    private static DmarcResult Failure(DmarcPolicy disposition) =>
        new(DmarcOutcome.Fail, "sender.test", null, disposition, false, disposition, false, "sender.test",
            $"sender.test DMARC policy p={DmarcKeywords.Of(disposition)}: neither SPF nor DKIM aligned");

    private static DmarcResult Outcome(DmarcOutcome outcome, DmarcPolicy? requested = DmarcPolicy.Reject) =>
        new(outcome, "sender.test", null, requested, false, DmarcPolicy.None, false, "sender.test", "why");

    [Fact]
    public void Reject_with_an_enforcing_recipient_refuses_with_5_7_26_and_a_strike()
    {
        var (verdict, finding) = DmarcDecision.Decide(Failure(DmarcPolicy.Reject), null, [Alice, Carol], Settings);
        Assert.Equal(VerdictKind.Deny, verdict.Kind);
        Assert.Equal(550, verdict.Reply.Code);
        Assert.Equal("5.7.26", verdict.Reply.EnhancedCode);
        Assert.Equal(Evidence.DmarcReject, verdict.Evidence);
        Assert.Equal(DmarcAction.Rejected, finding.Action);
        Assert.Equal(DmarcPolicy.Reject, finding.Applied);
    }

    [Fact]
    public void Reject_for_record_only_recipients_is_recorded_and_delivered()
    {
        var (verdict, finding) = DmarcDecision.Decide(Failure(DmarcPolicy.Reject), null, [Carol], Settings);
        Assert.Equal(VerdictKind.Continue, verdict.Kind);
        Assert.Equal(DmarcAction.Recorded, finding.Action);
        Assert.Equal(DmarcPolicy.None, finding.Applied);
    }

    [Fact]
    public void Quarantine_is_applied_per_recipient_domain()
    {
        var (verdict, finding) = DmarcDecision.Decide(Failure(DmarcPolicy.Quarantine), null, [Alice, Bob, Carol], Settings);
        Assert.Equal(VerdictKind.Continue, verdict.Kind);
        Assert.Equal(DmarcAction.Quarantined, finding.Action);
        Assert.Equal([Alice.Address], finding.Quarantine);
        Assert.Equal([Bob.Address], finding.DeliverMarked);
        Assert.StartsWith("quarantine (", finding.MarkValue);
    }

    [Fact]
    public void A_trusted_sealers_recorded_pass_overrides_the_failure()
    {
        var arc = new ArcFindings(ArcChainOutcome.Pass, [new ArcSet(1, "lists.example.org", "pass")]);
        var (verdict, finding) = DmarcDecision.Decide(Failure(DmarcPolicy.Reject), arc, [Alice], Settings);
        Assert.Equal(VerdictKind.Continue, verdict.Kind);
        Assert.Equal(DmarcAction.Overridden, finding.Action);
        Assert.Contains("lists.example.org", finding.Override);
    }

    [Fact]
    public void An_untrusted_sealer_does_not_override()
    {
        var arc = new ArcFindings(ArcChainOutcome.Pass, [new ArcSet(1, "forwarder.example.net", "pass")]);
        var (verdict, _) = DmarcDecision.Decide(Failure(DmarcPolicy.Reject), arc, [Alice], Settings);
        Assert.Equal(VerdictKind.Deny, verdict.Kind);
    }

    [Fact]
    public void Temperror_defers_with_4_4_3_when_a_recipient_enforces()
    {
        var (verdict, finding) = DmarcDecision.Decide(Outcome(DmarcOutcome.TempError), null, [Alice], Settings);
        Assert.Equal(VerdictKind.DenySoft, verdict.Kind);
        Assert.Equal(451, verdict.Reply.Code);
        Assert.Equal("4.4.3", verdict.Reply.EnhancedCode);
        Assert.Equal(Evidence.None, verdict.Evidence);
        Assert.Equal(DmarcAction.Deferred, finding.Action);
    }

    [Fact]
    public void Temperror_under_p_none_or_for_record_only_is_recorded()
    {
        Assert.Equal(DmarcAction.Recorded, DmarcDecision.Decide(Outcome(DmarcOutcome.TempError, DmarcPolicy.None), null, [Alice], Settings).Finding.Action);
        Assert.Equal(DmarcAction.Recorded, DmarcDecision.Decide(Outcome(DmarcOutcome.TempError), null, [Carol], Settings).Finding.Action);
    }

    [Theory]
    [InlineData(DmarcOutcome.Pass)]
    [InlineData(DmarcOutcome.None)]
    public void Pass_and_no_policy_do_nothing(DmarcOutcome outcome)
    {
        var (verdict, finding) = DmarcDecision.Decide(Outcome(outcome), null, [Alice], Settings);
        Assert.Equal(VerdictKind.Continue, verdict.Kind);
        Assert.Equal(DmarcAction.None, finding.Action);
    }

    [Fact]
    public void A_failure_under_p_none_is_only_noted() =>
        Assert.Equal(DmarcAction.None, DmarcDecision.Decide(Failure(DmarcPolicy.None), null, [Alice], Settings).Finding.Action);
}
