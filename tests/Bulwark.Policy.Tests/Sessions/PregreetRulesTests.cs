using System.Net;
using Bulwark.Policy.Reputation;
using Bulwark.Policy.Sessions;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Tests.Sessions;

public sealed class PregreetRulesTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly IPAddress Stranger = IPAddress.Parse("198.51.100.7");

    private static readonly PregreetOptions On = new()
    {
        Pause = TimeSpan.FromSeconds(4),
        SkipNetworks = [IpNetworks.Parse("192.0.2.0/24"), IpNetworks.Parse("2001:db8::/32")],
    };

    [Fact]
    public void Off_by_default_so_nobody_waits()
    {
        var options = new PregreetOptions();
        Assert.False(options.Enabled);
        Assert.Equal(TimeSpan.Zero, PregreetRules.PauseFor(options, Stranger, null, Now));
    }

    [Fact]
    public void A_client_without_history_waits_the_pause()
    {
        Assert.Equal(TimeSpan.FromSeconds(4), PregreetRules.PauseFor(On, Stranger, null, Now));
    }

    [Theory]
    [InlineData("192.0.2.55")]
    [InlineData("::ffff:192.0.2.55")]
    [InlineData("2001:db8:1::25")]
    public void Skip_networks_are_greeted_at_once(string ip)
    {
        Assert.Equal(TimeSpan.Zero, PregreetRules.PauseFor(On, IPAddress.Parse(ip), null, Now));
    }

    [Fact]
    public void A_client_we_accepted_mail_from_within_the_window_is_greeted_at_once()
    {
        Assert.Equal(TimeSpan.Zero, PregreetRules.PauseFor(On, Stranger, Now.AddHours(-23), Now));
    }

    [Fact]
    public void History_older_than_the_window_does_not_count()
    {
        Assert.Equal(TimeSpan.FromSeconds(4), PregreetRules.PauseFor(On, Stranger, Now.AddHours(-24), Now));
        Assert.Equal(TimeSpan.FromSeconds(4), PregreetRules.PauseFor(On with { GoodHistory = TimeSpan.FromHours(1) },
            Stranger, Now.AddHours(-2), Now));
    }

    [Fact]
    public void History_from_the_future_does_not_count()
    {
        Assert.False(PregreetRules.HasGoodHistory(Now.AddMinutes(5), Now, TimeSpan.FromHours(24)));
        Assert.True(PregreetRules.HasGoodHistory(Now, Now, TimeSpan.FromHours(24)));
    }

    [Fact]
    public void An_early_talker_is_refused_554_5_5_1_closed_and_counted_as_evidence()
    {
        var verdict = PregreetRules.EarlyTalker;
        Assert.Equal(VerdictKind.DenyDisconnect, verdict.Kind);
        Assert.Equal("554 5.5.1 protocol violation: talked before the greeting", verdict.Reply.ToWire());
        Assert.Equal(Evidence.EarlyTalker, verdict.Evidence);
        Assert.Equal(1, EvidenceWeights.Of(verdict.Evidence));
    }

    [Fact]
    public void Defaults_bound_the_history()
    {
        var options = new PregreetOptions();
        Assert.Equal(TimeSpan.FromHours(24), options.GoodHistory);
        Assert.Equal(100_000, options.GoodHistoryCapacity);
        Assert.True(options.MultilineBanner);
    }
}
