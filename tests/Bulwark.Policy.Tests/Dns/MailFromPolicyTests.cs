using Bulwark.Policy.Dns;
using Bulwark.Policy.Spf;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Tests.Dns;

/// <summary>The MAIL FROM decision table (DESIGN.md "Replies").</summary>
public sealed class MailFromPolicyTests
{
    private static string Wire(Verdict v) => v.Kind == VerdictKind.Continue ? "continue" : $"{v.Reply.Code} {v.Reply.EnhancedCode}";

    [Theory]
    [InlineData(SpfOutcome.Pass, "continue")]
    [InlineData(SpfOutcome.None, "continue")]
    [InlineData(SpfOutcome.Neutral, "continue")]
    [InlineData(SpfOutcome.SoftFail, "continue")]
    [InlineData(SpfOutcome.Fail, "550 5.7.23")]
    [InlineData(SpfOutcome.TempError, "451 4.7.24")]
    [InlineData(SpfOutcome.PermError, "550 5.7.24")]
    public void Spf_results_with_an_existing_domain(SpfOutcome spf, string expected)
    {
        Assert.Equal(expected, Wire(MailFromPolicy.Decide(spf, SenderDomainState.Exists, MailFromOptions.Default)));
        // The null sender (no domain checked) gets the same SPF table, of its HELO identity.
        Assert.Equal(expected, Wire(MailFromPolicy.Decide(spf, SenderDomainState.NotChecked, MailFromOptions.Default)));
    }

    [Theory]
    [InlineData(SenderDomainState.NxDomain, "550 5.1.8")]
    [InlineData(SenderDomainState.NullMx, "550 5.7.27")]
    [InlineData(SenderDomainState.NoMailRoute, "550 5.1.8")]
    [InlineData(SenderDomainState.TemporaryFailure, "451 4.4.3")]
    public void Domain_states_with_a_neutral_spf(SenderDomainState state, string expected)
    {
        Assert.Equal(expected, Wire(MailFromPolicy.Decide(SpfOutcome.Neutral, state, MailFromOptions.Default)));
    }

    [Fact]
    public void Evidence_and_check_names()
    {
        var fail = MailFromPolicy.Decide(SpfOutcome.Fail, SenderDomainState.Exists, MailFromOptions.Default);
        Assert.Equal((Evidence.SpfFail, "mail.spf", VerdictKind.Deny), (fail.Evidence, fail.Check, fail.Kind));
        var nullMx = MailFromPolicy.Decide(SpfOutcome.Pass, SenderDomainState.NullMx, MailFromOptions.Default);
        Assert.Equal((Evidence.NullMxSender, "mail.domain"), (nullMx.Evidence, nullMx.Check));
        var nx = MailFromPolicy.Decide(SpfOutcome.None, SenderDomainState.NxDomain, MailFromOptions.Default);
        Assert.Equal((Evidence.None, "mail.domain"), (nx.Evidence, nx.Check));
        var temp = MailFromPolicy.Decide(SpfOutcome.TempError, SenderDomainState.Exists, MailFromOptions.Default);
        Assert.Equal(VerdictKind.DenySoft, temp.Kind);
    }

    [Fact]
    public void Permerror_can_be_accepted_by_option()
    {
        var lenient = new MailFromOptions { AcceptPermError = true };
        Assert.Equal("continue", Wire(MailFromPolicy.Decide(SpfOutcome.PermError, SenderDomainState.Exists, lenient)));
    }

    [Fact]
    public void No_mail_route_can_be_allowed_by_option()
    {
        var lenient = new MailFromOptions { RejectNoMailRoute = false };
        Assert.Equal("continue", Wire(MailFromPolicy.Decide(SpfOutcome.Pass, SenderDomainState.NoMailRoute, lenient)));
    }

    [Fact]
    public void Permanent_answers_outrank_temporary_ones()
    {
        Assert.Equal("550 5.7.23", Wire(MailFromPolicy.Decide(SpfOutcome.Fail, SenderDomainState.TemporaryFailure, MailFromOptions.Default)));
        Assert.Equal("550 5.7.27", Wire(MailFromPolicy.Decide(SpfOutcome.TempError, SenderDomainState.NullMx, MailFromOptions.Default)));
        Assert.Equal("550 5.1.8", Wire(MailFromPolicy.Decide(SpfOutcome.Fail, SenderDomainState.NxDomain, MailFromOptions.Default)));
        Assert.Equal("451 4.4.3", Wire(MailFromPolicy.Decide(SpfOutcome.TempError, SenderDomainState.TemporaryFailure, MailFromOptions.Default)));
    }

    [Fact]
    public void No_temporary_dns_failure_is_ever_a_5xx_or_an_accept()
    {
        foreach (var spf in Enum.GetValues<SpfOutcome>())
        {
            var v = MailFromPolicy.Decide(spf, SenderDomainState.TemporaryFailure, MailFromOptions.Default);
            Assert.True(v.Kind != VerdictKind.Continue, $"{spf}: a timeout must not pass silently");
            if (spf is not (SpfOutcome.Fail or SpfOutcome.PermError)) Assert.True(v.Reply.IsTransient, spf.ToString());
        }
    }
}
