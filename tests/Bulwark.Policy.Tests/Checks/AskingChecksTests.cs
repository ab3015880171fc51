using System.Net;
using Bulwark.Policy.Addressing;
using Bulwark.Policy.Checks;
using Bulwark.Policy.Checks.Connect;
using Bulwark.Policy.Checks.Mail;
using Bulwark.Policy.Checks.Message;
using Bulwark.Policy.Checks.Rcpt;
using Bulwark.Policy.Content;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Recipients;
using Bulwark.Policy.Reputation;
using Bulwark.Policy.Sessions;
using Bulwark.Policy.Spf;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Tests.Checks;

/// <summary>The checks that ask the farm, with the asks answered (or not) by <see cref="FakeAsks"/>.</summary>
public sealed class AskingChecksTests
{
    private static readonly DnsChecks Enforcing = new(true, [IpNetworks.Parse("10.0.0.0/8")], MailFromOptions.Default, IprevAction.Reject, TimeSpan.FromSeconds(25));

    private static string Wire(Verdict v) => v.Kind == VerdictKind.Continue ? "continue" : $"{v.Reply.Code} {v.Reply.EnhancedCode}";

    private static Verdict Check<T>(ICheck<T> check, T facts) => check.CheckAsync(facts).AsTask().GetAwaiter().GetResult();

    [Theory]
    [InlineData(Admission.Admitted, "continue", false)]
    [InlineData(Admission.Blocked, "421 4.7.0", true)]
    [InlineData(Admission.Busy, "421 4.7.0", true)]
    public void The_reputation_admission_keeps_or_closes_the_connection(Admission admission, string expected, bool closes)
    {
        var verdict = Check(new ReputationAdmission(), Phases.Session(asks: new FakeAsks { Admission = admission }));

        Assert.Equal(expected, Wire(verdict));
        Assert.Equal(closes, verdict.Kind == VerdictKind.DenyDisconnect);
        Assert.Equal(Evidence.None, verdict.Evidence);
    }

    [Fact]
    public void A_reputation_entity_that_does_not_answer_defers_the_connection_with_421_4_3_0()
    {
        var verdict = Check(new ReputationAdmission(), Phases.Session(asks: new FakeAsks()));

        Assert.Equal(Replies.ConnectDeferred, verdict.Reply);
        Assert.Equal(VerdictKind.DenyDisconnect, verdict.Kind);
        Assert.Equal("deferred", verdict.Reason);
        Assert.NotNull(verdict.Failure);
    }

    [Fact]
    public void The_reverse_lookup_starts_at_connect_except_for_trusted_networks()
    {
        var asks = new FakeAsks();
        Assert.Equal(VerdictKind.Continue, Check(new StartReverseDns(Enforcing), Phases.Session(asks: asks)).Kind);
        Assert.Equal(["iprev"], asks.Asked);

        var trusted = new FakeAsks();
        var session = new SessionFacts(new ConnectionInfo("c2", IPAddress.Parse("10.1.2.3"), "10.1.2.3"), trusted);
        Check(new StartReverseDns(Enforcing), session);
        Assert.Empty(trusted.Asked);
    }

    [Theory]
    [InlineData(IprevResult.Pass, "continue")]
    [InlineData(IprevResult.Fail, "550 5.7.25")]
    [InlineData(IprevResult.TempError, "451 4.4.3")]
    public void Enforced_reverse_dns_refuses_by_its_answer_and_keeps_it_as_a_finding(IprevResult result, string expected)
    {
        var answer = new IprevAnswer(result, result == IprevResult.Pass ? "mail.remote.test" : null);
        var verdict = Check(new ClientIprev<SessionFacts>(Enforcing), Phases.Session(asks: new FakeAsks { ReverseDns = answer }));

        Assert.Equal(expected, Wire(verdict));
        Assert.Same(answer, verdict.Finding);
    }

    private static MailFacts Mail(string argument, FakeAsks asks, string helo = "client.test")
    {
        var session = Phases.Session(asks: asks);
        session.Helo = helo;
        return new MailFacts(session, PathArgument.ForMail("FROM:" + argument));
    }

    [Fact]
    public void The_sender_domain_is_asked_about_and_an_spf_fail_refuses_with_evidence()
    {
        var asks = new FakeAsks { Sender = new SenderDns(new SpfResult(SpfOutcome.Fail, "remote.test"), SenderDomainState.Exists) };

        var verdict = Check(new SenderAuthority(Enforcing), Mail("<a@remote.test>", asks));

        Assert.Equal("550 5.7.23", Wire(verdict));
        Assert.Equal(Evidence.SpfFail, verdict.Evidence);
        Assert.Equal(["sender remote.test a@remote.test client.test"], asks.Asked);
        Assert.Equal(SpfOutcome.Fail, Assert.IsType<SpfResult>(verdict.Finding).Result);
    }

    [Fact]
    public void The_null_sender_is_checked_by_its_helo_and_an_address_literal_is_not_asked_at_all()
    {
        var asks = new FakeAsks { Sender = new SenderDns(new SpfResult(SpfOutcome.Pass, "client.test"), SenderDomainState.NotChecked) };
        Assert.Equal("continue", Wire(Check(new SenderAuthority(Enforcing), Mail("<>", asks))));
        Assert.Equal(["sender client.test  client.test"], asks.Asked);

        var literal = new FakeAsks();
        Assert.Equal("continue", Wire(Check(new SenderAuthority(Enforcing), Mail("<a@[192.0.2.1]>", literal))));
        Assert.Empty(literal.Asked);
    }

    [Fact]
    public void A_dns_policy_that_does_not_answer_gives_451_4_4_3_never_a_5xx()
    {
        var verdict = Check(new SenderAuthority(Enforcing), Mail("<a@remote.test>", new FakeAsks()));

        Assert.Equal("451 4.4.3", Wire(verdict));
        Assert.Equal(SenderAuthority.FailedAsk, verdict.Check);
        Assert.Contains("remote.test", verdict.Failure);
    }

    [Fact]
    public void The_recipient_is_asked_in_lower_case_and_a_lookup_that_fails_is_451()
    {
        var asks = new FakeAsks { Recipient = RecipientExistence.Exists };
        var facts = new RcptFacts(Phases.Session(inTransaction: true, asks: asks), PathArgument.ForRcpt("TO:<Alice@Example.test>"), "example.test");
        Assert.Equal("continue", Wire(Check(new RecipientExists(), facts)));
        Assert.Equal(["recipient alice@example.test"], asks.Asked);

        var failing = new RcptFacts(Phases.Session(inTransaction: true, asks: new FakeAsks()), PathArgument.ForRcpt("TO:<alice@example.test>"), "example.test");
        var verdict = Check(new RecipientExists(), failing);
        Assert.Equal("451 4.3.0", Wire(verdict));
        Assert.NotNull(verdict.Failure);
    }

    [Fact]
    public void The_content_scan_is_told_what_earlier_checks_found_and_its_disposition_is_kept()
    {
        var asks = new FakeAsks { Scan = new ScanReport(new VirusScan(ScanStatus.Done), new SpamScan(ScanStatus.Done, Score: 1)) };
        var session = Phases.Session(inTransaction: true, recipients: 1, asks: asks);
        session.Transaction!.Record(new SpfResult(SpfOutcome.SoftFail, "remote.test"));
        session.Transaction.Record(new IprevAnswer(IprevResult.Pass, "mail.remote.test"));

        var verdict = Check(new ContentScan(new ContentPolicy()), new MessageFacts(session, new DataOutcome(DataFaults.None, 10, true), "Q1", () => new MemoryStream()));

        Assert.Equal(VerdictKind.Continue, verdict.Kind);
        Assert.Equal(["r0@example.test"], Assert.IsType<ContentDisposition>(verdict.Finding).Deliver);
        Assert.Equal(("Q1", "softfail", "mail.remote.test", "a@remote.test"),
            (asks.LastScanContext!.QueueId, asks.LastScanContext.SpfResult, asks.LastScanContext.ClientHostname, asks.LastScanContext.Sender));
    }

    [Fact]
    public void A_virus_refuses_the_message_with_evidence()
    {
        var asks = new FakeAsks { Scan = new ScanReport(new VirusScan(ScanStatus.Done, "Eicar-Test-Signature"), new SpamScan(ScanStatus.NotConfigured)) };
        var session = Phases.Session(inTransaction: true, recipients: 1, asks: asks);

        var verdict = Check(new ContentScan(new ContentPolicy()), new MessageFacts(session, new DataOutcome(DataFaults.None, 10, true), "Q1", () => new MemoryStream()));

        Assert.Equal("550 5.7.1", Wire(verdict));
        Assert.Equal(Evidence.Virus, verdict.Evidence);
        Assert.Equal(ContentReplies.VirusCheck, verdict.Check);
    }

    [Fact]
    public void Require_tls_refusals_count_neither_as_errors_nor_as_evidence()
    {
        var facts = Mail("<a@bank.test>", new FakeAsks());
        var verdict = new RequireTls(new HashSet<string> { "bank.test" }).Decide(facts);

        Assert.Equal("530 5.7.10", Wire(verdict));
        Assert.False(verdict.CountsAsError);
        facts.Session.UnderTls = true;
        Assert.Equal("continue", Wire(new RequireTls(new HashSet<string> { "bank.test" }).Decide(facts)));
    }
}
