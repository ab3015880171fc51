using Bulwark.Policy.Content;

namespace Bulwark.Policy.Tests.Content;

public sealed class ContentPolicyTests
{
    private static readonly SpamThresholds Domain = new(1, 2, 3);
    private static readonly SpamThresholds Alice = new(null, null, 100);

    private static readonly ContentPolicy Policy = new()
    {
        PerDomain = new Dictionary<string, SpamThresholds> { ["example.org"] = Domain },
        PerRecipient = new Dictionary<string, SpamThresholds> { ["alice@example.org"] = Alice },
    };

    [Fact]
    public void Recipient_entry_wins_over_domain_and_default() =>
        Assert.Same(Alice, Policy.ThresholdsFor("alice@example.org"));

    [Fact]
    public void Domain_entry_applies_to_other_recipients_of_the_domain() =>
        Assert.Same(Domain, Policy.ThresholdsFor("bob@example.org"));

    [Fact]
    public void Default_applies_elsewhere() =>
        Assert.Same(SpamThresholds.Default, Policy.ThresholdsFor("carol@example.net"));

    [Theory]
    [InlineData("Alice@Example.ORG", "alice")]
    [InlineData(" ALICE@example.org ", "alice")]
    [InlineData("Bob@EXAMPLE.org", "domain")]
    public void Lookup_is_case_insensitive(string recipient, string expected) =>
        Assert.Same(expected == "alice" ? Alice : Domain, Policy.ThresholdsFor(recipient));

    [Fact]
    public void A_subdomain_is_not_its_parent_domain() =>
        Assert.Same(SpamThresholds.Default, Policy.ThresholdsFor("dave@sub.example.org"));

    [Fact]
    public void An_address_without_domain_gets_the_default() =>
        Assert.Same(SpamThresholds.Default, Policy.ThresholdsFor("postmaster"));

    [Fact]
    public void Defaults_are_mark_6_quarantine_10_refuse_15_and_fail_closed()
    {
        var policy = new ContentPolicy();
        Assert.Equal(new SpamThresholds(6, 10, 15, false), policy.Default);
        Assert.False(policy.FailOpenSpam);
        Assert.Empty(policy.PerDomain);
        Assert.Empty(policy.PerRecipient);
    }

    [Theory]
    [InlineData(0, SpamAction.Deliver)]
    [InlineData(5.99, SpamAction.Deliver)]
    [InlineData(6, SpamAction.Mark)]
    [InlineData(9.99, SpamAction.Mark)]
    [InlineData(10, SpamAction.Quarantine)]
    [InlineData(14.99, SpamAction.Quarantine)]
    [InlineData(15, SpamAction.Refuse)]
    [InlineData(1000, SpamAction.Refuse)]
    [InlineData(-5, SpamAction.Deliver)]
    public void Default_thresholds_are_inclusive(double score, SpamAction expected) =>
        Assert.Equal(expected, SpamThresholds.Default.ActionFor(Spam(score)));

    [Fact]
    public void Null_thresholds_never_fire()
    {
        Assert.Equal(SpamAction.Deliver, SpamThresholds.Never.ActionFor(Spam(1e6)));
        var noRefuse = new SpamThresholds(RefuseAt: null);
        Assert.Equal(SpamAction.Quarantine, noRefuse.ActionFor(Spam(50)));
        var onlyRefuse = new SpamThresholds(null, null, 5);
        Assert.Equal(SpamAction.Deliver, onlyRefuse.ActionFor(Spam(4.9)));
        Assert.Equal(SpamAction.Refuse, onlyRefuse.ActionFor(Spam(5)));
    }

    [Fact]
    public void The_harshest_reached_threshold_wins_even_if_thresholds_are_out_of_order()
    {
        var odd = new SpamThresholds(MarkAt: 10, QuarantineAt: 3, RefuseAt: 20);
        Assert.Equal(SpamAction.Quarantine, odd.ActionFor(Spam(12)));
    }

    [Theory]
    [InlineData("reject", SpamAction.Refuse)]
    [InlineData("REJECT", SpamAction.Refuse)]
    [InlineData("add header", SpamAction.Mark)]
    [InlineData("add_header", SpamAction.Mark)]
    [InlineData("rewrite subject", SpamAction.Mark)]
    [InlineData("soft reject", SpamAction.Deliver)]
    [InlineData("greylist", SpamAction.Deliver)]
    [InlineData("no action", SpamAction.Deliver)]
    [InlineData("something new", SpamAction.Deliver)]
    [InlineData("", SpamAction.Deliver)]
    [InlineData(null, SpamAction.Deliver)]
    public void Scanner_actions_map_onto_ours(string? action, SpamAction expected) =>
        Assert.Equal(expected, SpamThresholds.FromScannerAction(action));

    [Fact]
    public void With_UseScannerAction_the_score_thresholds_are_ignored()
    {
        var t = new SpamThresholds(UseScannerAction: true);
        Assert.Equal(SpamAction.Deliver, t.ActionFor(Spam(99, "no action")));
        Assert.Equal(SpamAction.Refuse, t.ActionFor(Spam(0, "reject")));
        Assert.Equal(SpamAction.Mark, t.ActionFor(Spam(0, "add header")));
    }

    private static SpamScan Spam(double score, string action = "no action") =>
        new(ScanStatus.Done, score, 15, action);
}

public sealed class ScannerRejectTests
{
    [Fact]
    public void A_scanner_reject_with_a_low_score_refuses_for_a_recipient_that_refuses_at_all() =>
        Assert.Equal(SpamAction.Refuse, SpamThresholds.Default.ActionFor(new SpamScan(ScanStatus.Done, 0, 15, "reject")));

    [Fact]
    public void A_recipient_that_never_refuses_is_not_refused_by_the_scanner_action() =>
        Assert.Equal(SpamAction.Deliver, SpamThresholds.Never.ActionFor(new SpamScan(ScanStatus.Done, 0, 15, "reject")));
}
