using Bulwark.Policy.Sessions;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Tests.Sessions;

public sealed class PhaseRulesTests
{
    private static readonly SessionLimits Limits = new() { MaxRecipients = 2, MaxMessageBytes = 1000 };
    private static readonly IReadOnlySet<string> Domains = new HashSet<string> { "example.test" };

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("two words")]
    [InlineData("a\rb")]
    [InlineData("a\0b")]
    [InlineData("host\u007f")]
    [InlineData("tab\there")]
    public void HELO_without_one_name_is_a_syntax_error(string argument) =>
        Assert.Equal("501 5.5.4", Code(PhaseRules.Helo(argument)));

    [Fact]
    public void MAIL_before_HELO_is_out_of_sequence() =>
        Assert.Equal(Replies.NeedHelo, PhaseRules.Mail(false, false, "<a@b.test>", Limits, out _).Reply);

    [Fact]
    public void A_second_MAIL_in_a_transaction_is_out_of_sequence() =>
        Assert.Equal("503 5.5.1", Code(PhaseRules.Mail(true, true, "<a@b.test>", Limits, out _)));

    [Theory]
    [InlineData("<a@b.test>", "250 2.1.0")]
    [InlineData("<>", "250 2.1.0")]
    [InlineData("<a@b.test> SIZE=1000", "250 2.1.0")]
    [InlineData("<a@b.test> SIZE=1001", "552 5.3.4")]
    [InlineData("<a@b.test> SIZE=lots", "501 5.5.4")]
    [InlineData("<a@b.test> SIZE=99999999999999999999", "552 5.3.4")]
    [InlineData("<a@b.test> BODY=8BITMIME", "250 2.1.0")]
    [InlineData("<a@b.test> BODY=BINARYMIME", "501 5.5.4")]
    [InlineData("<a@b.test> SMTPUTF8", "250 2.1.0")]
    [InlineData("<a@b.test> XFORWARD=1", "555 5.5.4")]
    [InlineData("<not an address>", "501 5.1.7")]
    public void MAIL_checks_the_path_and_its_parameters(string argument, string expected) =>
        Assert.Equal(expected, Code(PhaseRules.Mail(true, false, argument, Limits, out _)));

    [Fact]
    public void RCPT_before_MAIL_is_out_of_sequence() =>
        Assert.Equal(Replies.NeedMail, PhaseRules.RcptPrecheck(false, 0, Limits, "<a@example.test>", Domains, "example.test", out _).Reply);

    [Fact]
    public void RCPT_past_the_recipient_limit_gets_452_4_5_3() =>
        Assert.Equal(Replies.TooManyRecipients, PhaseRules.RcptPrecheck(true, 2, Limits, "<a@example.test>", Domains, "example.test", out _).Reply);

    [Fact]
    public void RCPT_for_a_foreign_domain_is_a_relay_attempt_with_evidence()
    {
        var verdict = PhaseRules.RcptPrecheck(true, 0, Limits, "<a@elsewhere.test>", Domains, "example.test", out var mailbox);
        Assert.Equal("550 5.7.1", Code(verdict));
        Assert.Equal(Evidence.RelayAttempt, verdict.Evidence);
        Assert.Null(mailbox);
    }

    [Fact]
    public void RCPT_for_a_local_address_continues_to_the_directory_with_the_mailbox()
    {
        var verdict = PhaseRules.RcptPrecheck(true, 0, Limits, "<Alice@Example.TEST>", Domains, "example.test", out var mailbox);
        Assert.Equal(VerdictKind.Continue, verdict.Kind);
        Assert.Equal("example.test", mailbox!.Domain);
    }

    [Fact]
    public void Bare_postmaster_is_the_postmaster_of_the_primary_domain()
    {
        PhaseRules.RcptPrecheck(true, 0, Limits, "<Postmaster>", Domains, "example.test", out var mailbox);
        Assert.Equal("example.test", mailbox!.Domain);
        Assert.Equal("postmaster", mailbox.LocalPart.ToLowerInvariant());
    }

    [Fact]
    public void RCPT_parameters_are_not_supported() =>
        Assert.Equal("555 5.5.4", Code(PhaseRules.RcptPrecheck(true, 0, Limits, "<a@example.test> NOTIFY=NEVER", Domains, "example.test", out _)));

    [Theory]
    [InlineData(RecipientLookup.Exists, "250 2.1.5", Evidence.None)]
    [InlineData(RecipientLookup.Unknown, "550 5.1.1", Evidence.UnknownRecipient)]
    [InlineData(RecipientLookup.TemporaryFailure, "451 4.3.0", Evidence.None)]
    public void The_directory_answer_maps_to_a_reply_and_evidence(RecipientLookup lookup, string expected, Evidence evidence)
    {
        var verdict = PhaseRules.RcptFromLookup(lookup);
        Assert.Equal(expected, Code(verdict));
        Assert.Equal(evidence, verdict.Evidence);
    }

    [Fact]
    public void A_lookup_that_could_not_answer_is_never_permanent() =>
        Assert.True(PhaseRules.RcptFromLookup(RecipientLookup.TemporaryFailure).Reply.IsTransient);

    [Theory]
    [InlineData(false, 0, "503 5.5.1")]
    [InlineData(true, 0, "554 5.5.1")]
    [InlineData(true, 1, "354 ")]
    public void DATA_needs_a_sender_and_an_accepted_recipient(bool hasMail, int recipients, string expected) =>
        Assert.Equal(expected, Code(PhaseRules.Data(hasMail, recipients)));

    [Theory]
    [InlineData(DataFaults.None, "continue")]
    [InlineData(DataFaults.TooLarge | DataFaults.BareLineFeed, "552 5.3.4")]
    [InlineData(DataFaults.Nul | DataFaults.BareLineFeed, "550 5.6.0")]
    [InlineData(DataFaults.BareCarriageReturn, "550 5.6.0")]
    [InlineData(DataFaults.BareLineFeed, "550 5.6.0")]
    [InlineData(DataFaults.LineTooLong, "550 5.6.0")]
    public void Body_faults_refuse_the_message_size_first(DataFaults faults, string expected)
    {
        var verdict = PhaseRules.DataBody(faults);
        Assert.Equal(expected, verdict.Kind == VerdictKind.Continue ? "continue" : Code(verdict));
    }

    private static string Code(Verdict verdict) => $"{verdict.Reply.Code} {verdict.Reply.EnhancedCode}";
}
