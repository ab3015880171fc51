using Bulwark.Policy.Sessions;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Tests.Sessions;

public sealed class RequireTlsRulesTests
{
    private static readonly IReadOnlySet<string> Listed = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "bank.example", "gov.example" };

    [Theory]
    [InlineData("bank.example", "bank.example")]
    [InlineData("BANK.Example", "bank.example")]
    [InlineData("mail.bank.example", "bank.example")]
    [InlineData("a.b.gov.example.", "gov.example")]
    [InlineData("notbank.example", null)]
    [InlineData("bank.example.evil", null)]
    [InlineData("example", null)]
    [InlineData("", null)]
    public void A_listed_domain_covers_itself_and_its_subdomains_only(string sender, string? expected) =>
        Assert.Equal(expected, TlsRules.RequiringDomain(sender, Listed));

    [Fact]
    public void Plain_text_mail_from_a_listed_domain_is_refused_with_530_and_no_evidence()
    {
        var verdict = TlsRules.RequireTls(underTls: false, "branch.bank.example", Listed);
        Assert.Equal(VerdictKind.Deny, verdict.Kind);
        Assert.Equal(new SmtpReply(530, "5.7.10", "TLS required for mail from bank.example; issue STARTTLS first"), verdict.Reply);
        Assert.Equal(Evidence.None, verdict.Evidence);
        Assert.Equal("mail.require-tls", verdict.Check);
    }

    [Fact]
    public void The_same_sender_under_TLS_passes()
    {
        Assert.Equal(VerdictKind.Continue, TlsRules.RequireTls(underTls: true, "bank.example", Listed).Kind);
    }

    [Fact]
    public void Unlisted_domains_the_null_sender_and_an_empty_list_pass()
    {
        Assert.Equal(VerdictKind.Continue, TlsRules.RequireTls(false, "other.example", Listed).Kind);
        Assert.Equal(VerdictKind.Continue, TlsRules.RequireTls(false, "", Listed).Kind);
        Assert.Equal(VerdictKind.Continue, TlsRules.RequireTls(false, "bank.example", new HashSet<string>()).Kind);
    }

    [Fact]
    public void STARTTLS_is_accepted_once_without_parameters_outside_a_transaction()
    {
        var verdict = TlsRules.StartTls(configured: true, underTls: false, inTransaction: false, "");
        Assert.True(verdict.IsAccept);
        Assert.Equal(new SmtpReply(220, "2.0.0", "ready to start TLS"), verdict.Reply);
    }

    [Fact]
    public void STARTTLS_refusals_follow_RFC_3207()
    {
        Assert.Equal(Replies.NotImplemented, TlsRules.StartTls(false, false, false, "").Reply);
        Assert.Equal(Replies.NotImplemented, TlsRules.StartTls(false, false, false, "now").Reply);
        Assert.Equal(new SmtpReply(501, "5.5.4", "STARTTLS takes no parameters"), TlsRules.StartTls(true, false, false, "now").Reply);
        Assert.Equal(503, TlsRules.StartTls(true, underTls: true, false, "").Reply.Code);
        Assert.Equal("5.5.1", TlsRules.StartTls(true, underTls: true, false, "").Reply.EnhancedCode);
        Assert.Equal(503, TlsRules.StartTls(true, false, inTransaction: true, "").Reply.Code);
        Assert.All(new[] { TlsRules.StartTls(true, true, false, ""), TlsRules.StartTls(true, false, false, "x") },
            v => Assert.Equal(Evidence.None, v.Evidence));
    }

    [Fact]
    public void STARTTLS_is_advertised_only_when_configured_and_not_yet_in_use()
    {
        Assert.True(TlsRules.Advertise(configured: true, underTls: false));
        Assert.False(TlsRules.Advertise(configured: true, underTls: true));
        Assert.False(TlsRules.Advertise(configured: false, underTls: false));
    }
}
