using Bulwark.Policy.Arc;

namespace Bulwark.Policy.Tests.Dmarc;

public class ArcOverrideTests
{
    private static readonly HashSet<string> Trusted = new(StringComparer.OrdinalIgnoreCase) { "lists.example.org" };

    [Fact]
    public void The_newest_trusted_set_with_dmarc_pass_vouches()
    {
        var arc = new ArcFindings(ArcChainOutcome.Pass,
            [new ArcSet(1, "lists.example.org", "pass"), new ArcSet(2, "relay.example.net", "fail"), new ArcSet(3, "lists.example.org", "pass")]);
        Assert.Equal(3, ArcOverride.TrustedPass(arc, Trusted)?.Instance);
    }

    [Theory]
    [InlineData(ArcChainOutcome.Fail)]
    [InlineData(ArcChainOutcome.TempError)]
    [InlineData(ArcChainOutcome.None)]
    public void A_chain_that_does_not_pass_vouches_for_nothing(ArcChainOutcome chain) =>
        Assert.Null(ArcOverride.TrustedPass(new ArcFindings(chain, [new ArcSet(1, "lists.example.org", "pass")]), Trusted));

    [Fact]
    public void A_trusted_sealer_that_recorded_a_failure_does_not_vouch() =>
        Assert.Null(ArcOverride.TrustedPass(new ArcFindings(ArcChainOutcome.Pass, [new ArcSet(1, "lists.example.org", "fail")]), Trusted));

    [Fact]
    public void Nobody_is_trusted_by_default() =>
        Assert.Null(ArcOverride.TrustedPass(new ArcFindings(ArcChainOutcome.Pass, [new ArcSet(1, "lists.example.org", "pass")]), new HashSet<string>()));
}
