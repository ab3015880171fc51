using Bulwark.Policy.Addressing;
using Bulwark.Policy.Checks;
using Bulwark.Policy.Checks.Helo;
using Bulwark.Policy.Checks.Message;
using Bulwark.Policy.Checks.Rcpt;
using Bulwark.Policy.Recipients;
using Bulwark.Policy.Sessions;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Tests.Checks;

/// <summary>The pure checks of each phase, run as the standard pipelines run them (no DNS, no
/// reputation configured), with the asks answered by <see cref="FakeAsks"/>.</summary>
public sealed class PhaseChecksTests
{
    private static readonly SessionLimits Limits = new() { MaxRecipients = 2, MaxMessageBytes = 1000 };
    private static readonly IReadOnlySet<string> Domains = new HashSet<string> { "example.test" };
    private static readonly SessionPolicy Policy = new() { Limits = Limits, AcceptedDomains = Domains, PrimaryDomain = "example.test" };

    private static Verdict Mail(bool hasHelo, bool inTransaction, string argument) =>
        Phases.Mail(Policy, Phases.Session(hasHelo, inTransaction), argument);

    /// <summary>The checks before the directory, as one verdict: Continue means the recipient goes on to the directory.</summary>
    private static Verdict RcptPrecheck(bool hasMail, int acceptedRecipients, string argument, out Mailbox? recipient)
    {
        var standard = SessionPipelines.Standard(Policy).Rcpt;
        var prechecks = new PhasePipeline<RcptFacts>("rcpt", standard.Checks.Where(c => c is not RecipientExists).ToList(),
            Verdict.Continue(RelayRules.CheckName));
        var facts = new RcptFacts(Phases.Session(true, hasMail, acceptedRecipients), PathArgument.ForRcpt("TO:" + argument), Policy.PrimaryDomain);
        var verdict = Phases.Run(prechecks, facts);
        recipient = verdict.Kind == VerdictKind.Continue ? facts.Recipient : null;
        return verdict;
    }

    private static Verdict RcptWithDirectory(RecipientExistence answer) =>
        Phases.Rcpt(Policy, Phases.Session(true, true, asks: new FakeAsks { Recipient = answer }), "<alice@example.test>", out _);

    private static Verdict Data(bool hasMail, int recipients) =>
        Phases.Run(SessionPipelines.Standard(Policy).Data, Phases.Session(true, hasMail, recipients));

    /// <summary>The body-fault checks alone, in their order; Continue when none objects.</summary>
    private static Verdict DataBody(DataFaults faults) =>
        BodyFault.All.Select(check => check.Decide(faults)).FirstOrDefault(v => v.Kind != VerdictKind.Continue)
        ?? Verdict.Continue("data.body");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("two words")]
    [InlineData("a\rb")]
    [InlineData("a\0b")]
    [InlineData("host\u007f")]
    [InlineData("tab\there")]
    public void HELO_without_one_name_is_a_syntax_error(string argument) =>
        Assert.Equal("501 5.5.4", Code(HeloSyntax.Decide(argument)));

    [Fact]
    public void MAIL_before_HELO_is_out_of_sequence() =>
        Assert.Equal(Replies.NeedHelo, Mail(false, false, "<a@b.test>").Reply);

    [Fact]
    public void A_second_MAIL_in_a_transaction_is_out_of_sequence() =>
        Assert.Equal("503 5.5.1", Code(Mail(true, true, "<a@b.test>")));

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
        Assert.Equal(expected, Code(Mail(true, false, argument)));

    [Fact]
    public void RCPT_before_MAIL_is_out_of_sequence() =>
        Assert.Equal(Replies.NeedMail, RcptPrecheck(false, 0, "<a@example.test>", out _).Reply);

    [Fact]
    public void RCPT_past_the_recipient_limit_gets_452_4_5_3() =>
        Assert.Equal(Replies.TooManyRecipients, RcptPrecheck(true, 2, "<a@example.test>", out _).Reply);

    [Fact]
    public void RCPT_for_a_foreign_domain_is_a_relay_attempt_with_evidence()
    {
        var verdict = RcptPrecheck(true, 0, "<a@elsewhere.test>", out var mailbox);
        Assert.Equal("550 5.7.1", Code(verdict));
        Assert.Equal(Evidence.RelayAttempt, verdict.Evidence);
        Assert.Null(mailbox);
    }

    [Fact]
    public void RCPT_for_a_local_address_continues_to_the_directory_with_the_mailbox()
    {
        var verdict = RcptPrecheck(true, 0, "<Alice@Example.TEST>", out var mailbox);
        Assert.Equal(VerdictKind.Continue, verdict.Kind);
        Assert.Equal("example.test", mailbox!.Domain);
    }

    [Fact]
    public void Bare_postmaster_is_the_postmaster_of_the_primary_domain()
    {
        RcptPrecheck(true, 0, "<Postmaster>", out var mailbox);
        Assert.Equal("example.test", mailbox!.Domain);
        Assert.Equal("postmaster", mailbox.LocalPart.ToLowerInvariant());
    }

    [Fact]
    public void RCPT_parameters_are_not_supported() =>
        Assert.Equal("555 5.5.4", Code(RcptPrecheck(true, 0, "<a@example.test> NOTIFY=NEVER", out _)));

    [Theory]
    [InlineData(RecipientExistence.Exists, "250 2.1.5", Evidence.None)]
    [InlineData(RecipientExistence.Unknown, "550 5.1.1", Evidence.UnknownRecipient)]
    [InlineData(RecipientExistence.TemporaryFailure, "451 4.3.0", Evidence.None)]
    public void The_directory_answer_maps_to_a_reply_and_evidence(RecipientExistence lookup, string expected, Evidence evidence)
    {
        var verdict = RcptWithDirectory(lookup);
        Assert.Equal(expected, Code(verdict));
        Assert.Equal(evidence, verdict.Evidence);
    }

    [Fact]
    public void A_lookup_that_could_not_answer_is_never_permanent() =>
        Assert.True(RcptWithDirectory(RecipientExistence.TemporaryFailure).Reply.IsTransient);

    [Theory]
    [InlineData(false, 0, "503 5.5.1")]
    [InlineData(true, 0, "554 5.5.1")]
    [InlineData(true, 1, "354 ")]
    public void DATA_needs_a_sender_and_an_accepted_recipient(bool hasMail, int recipients, string expected) =>
        Assert.Equal(expected, Code(Data(hasMail, recipients)));

    [Theory]
    [InlineData(DataFaults.None, "continue")]
    [InlineData(DataFaults.TooLarge | DataFaults.BareLineFeed, "552 5.3.4")]
    [InlineData(DataFaults.Nul | DataFaults.BareLineFeed, "550 5.6.0")]
    [InlineData(DataFaults.BareCarriageReturn, "550 5.6.0")]
    [InlineData(DataFaults.BareLineFeed, "550 5.6.0")]
    [InlineData(DataFaults.LineTooLong, "550 5.6.0")]
    public void Body_faults_refuse_the_message_size_first(DataFaults faults, string expected)
    {
        var verdict = DataBody(faults);
        Assert.Equal(expected, verdict.Kind == VerdictKind.Continue ? "continue" : Code(verdict));
    }

    private static string Code(Verdict verdict) => $"{verdict.Reply.Code} {verdict.Reply.EnhancedCode}";
}
