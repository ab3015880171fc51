using Bulwark.Policy.Dkim;
using Bulwark.Policy.Dmarc;
using Bulwark.Policy.Spf;

namespace Bulwark.Policy.Tests.Dmarc;

public class DmarcEvaluationTests
{
    private static DmarcDiscoveryResult Policy(string text, string from = "example.com", string? at = null)
    {
        Assert.True(DmarcRecordParser.TryParse(text, out var record, out var problem), problem);
        return DmarcDiscoveryResult.Found(from, record, at ?? from);
    }

    private static DkimSignatureResult Signature(string domain, DkimOutcome outcome) => new(domain, "s1", "rsa-sha256", outcome);

    private static DmarcResult Evaluate(DmarcDiscoveryResult policy, SpfOutcome spf = SpfOutcome.None, string? spfDomain = null,
        DkimSignatureResult[]? dkim = null, int roll = 0) =>
        DmarcEvaluation.Evaluate(policy, spf, spfDomain, dkim ?? [], DmarcTestData.Psl, roll);

    [Fact]
    public void Aligned_dkim_pass_is_a_pass_and_is_named()
    {
        var result = Evaluate(Policy("v=DMARC1; p=reject"), dkim: [Signature("mail.example.com", DkimOutcome.Pass)]);
        Assert.Equal(DmarcOutcome.Pass, result.Result);
        Assert.Equal(DmarcIdentifier.Dkim, result.Aligned?.Identifier);
        Assert.Equal(DmarcPolicy.None, result.Disposition);
    }

    [Fact]
    public void Aligned_spf_pass_is_a_pass_without_dkim()
    {
        var result = Evaluate(Policy("v=DMARC1; p=reject"), SpfOutcome.Pass, "bounces.example.com");
        Assert.Equal(DmarcOutcome.Pass, result.Result);
        Assert.Equal(DmarcIdentifier.Spf, result.Aligned?.Identifier);
    }

    [Fact]
    public void Spf_pass_under_strict_aspf_for_a_subdomain_does_not_align()
    {
        var result = Evaluate(Policy("v=DMARC1; p=reject; aspf=s"), SpfOutcome.Pass, "bounces.example.com");
        Assert.Equal(DmarcOutcome.Fail, result.Result);
        Assert.Equal(DmarcPolicy.Reject, result.Disposition);
    }

    [Fact]
    public void Passes_for_unrelated_domains_fail_dmarc()
    {
        var result = Evaluate(Policy("v=DMARC1; p=reject"), SpfOutcome.Pass, "esp.example.net",
            [Signature("esp.example.net", DkimOutcome.Pass)]);
        Assert.Equal(DmarcOutcome.Fail, result.Result);
        Assert.Contains("neither SPF nor DKIM aligned", result.Reason);
    }

    [Fact]
    public void A_failed_aligned_signature_is_no_pass()
    {
        var result = Evaluate(Policy("v=DMARC1; p=quarantine"), dkim: [Signature("example.com", DkimOutcome.Fail)]);
        Assert.Equal(DmarcOutcome.Fail, result.Result);
        Assert.Equal(DmarcPolicy.Quarantine, result.Disposition);
    }

    [Fact]
    public void An_aligned_temperror_defers_the_decision()
    {
        var result = Evaluate(Policy("v=DMARC1; p=reject"), dkim: [Signature("example.com", DkimOutcome.TempError)]);
        Assert.Equal(DmarcOutcome.TempError, result.Result);
        Assert.Equal(DmarcPolicy.Reject, result.RequestedPolicy);
    }

    [Fact]
    public void An_unaligned_temperror_cannot_change_the_result()
    {
        var result = Evaluate(Policy("v=DMARC1; p=reject"), SpfOutcome.TempError, "other.org");
        Assert.Equal(DmarcOutcome.Fail, result.Result);
    }

    [Fact]
    public void Sp_governs_a_subdomain_found_at_the_organizational_domain()
    {
        var result = Evaluate(Policy("v=DMARC1; p=none; sp=reject", "mail.example.co.uk", "example.co.uk"));
        Assert.True(result.IsSubdomainPolicy);
        Assert.Equal(DmarcPolicy.Reject, result.Disposition);
        Assert.Contains("sp=reject at example.co.uk", result.Reason);
    }

    [Fact]
    public void P_governs_the_organizational_domain_itself()
    {
        var result = Evaluate(Policy("v=DMARC1; p=none; sp=reject", "example.co.uk"));
        Assert.False(result.IsSubdomainPolicy);
        Assert.Equal(DmarcPolicy.None, result.Disposition);
    }

    [Theory]
    [InlineData(0, 0, DmarcPolicy.Quarantine, true)]
    [InlineData(0, 99, DmarcPolicy.Quarantine, true)]
    [InlineData(50, 49, DmarcPolicy.Reject, false)]
    [InlineData(50, 50, DmarcPolicy.Quarantine, true)]
    [InlineData(100, 99, DmarcPolicy.Reject, false)]
    public void Pct_samples_the_failures_and_downgrades_the_rest(int pct, int roll, DmarcPolicy disposition, bool sampledOut)
    {
        var result = Evaluate(Policy($"v=DMARC1; p=reject; pct={pct}"), roll: roll);
        Assert.Equal(disposition, result.Disposition);
        Assert.Equal(sampledOut, result.SampledOut);
    }

    [Fact]
    public void A_sampled_out_quarantine_becomes_none()
    {
        var result = Evaluate(Policy("v=DMARC1; p=quarantine; pct=0"), roll: 10);
        Assert.Equal(DmarcPolicy.None, result.Disposition);
    }

    [Fact]
    public void No_policy_and_temporary_discovery_failure_pass_through()
    {
        Assert.Equal(DmarcOutcome.None, Evaluate(DmarcDiscoveryResult.NoPolicy("example.com", "nothing")).Result);
        Assert.Equal(DmarcOutcome.TempError, Evaluate(DmarcDiscoveryResult.TempError("example.com", "timeout")).Result);
    }

    [Fact]
    public void A_roll_outside_0_to_99_is_a_caller_bug() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Evaluate(Policy("v=DMARC1; p=reject"), roll: 100));
}
