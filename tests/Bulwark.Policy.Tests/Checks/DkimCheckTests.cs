using System.Net;
using Bulwark.Policy.Checks;
using Bulwark.Policy.Checks.Message;
using Bulwark.Policy.Dkim;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Reputation;
using Bulwark.Policy.Sessions;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Tests.Checks;

public sealed class DkimCheckTests
{
    private static readonly DnsChecks Dns = new(true, [IpNetworks.Parse("10.0.0.0/8")], MailFromOptions.Default, IprevAction.RecordOnly, TimeSpan.FromSeconds(25));

    private static MessageFacts Facts(SessionFacts session) => new(session, new DataOutcome(DataFaults.None, 10, true), "Q1", () => new MemoryStream());

    private static Verdict Check(MessageFacts facts, int max = 5) => new DkimCheck(Dns, max).CheckAsync(facts).AsTask().GetAwaiter().GetResult();

    [Fact]
    public void The_signatures_verdicts_are_kept_as_a_finding_and_nothing_is_refused_on_dkim_alone()
    {
        var findings = new DkimFindings([new DkimSignatureResult("signer.test", "sel", "rsa-sha256", DkimOutcome.Fail, "signature did not verify")]);
        var asks = new FakeAsks { Dkim = findings };

        var verdict = Check(Facts(Phases.Session(inTransaction: true, recipients: 1, asks: asks)), max: 3);

        Assert.Equal(VerdictKind.Continue, verdict.Kind);
        Assert.Same(findings, verdict.Finding);
        Assert.Equal(["dkim 3"], asks.Asked);
    }

    [Fact]
    public void Clients_on_trusted_networks_are_not_checked()
    {
        var asks = new FakeAsks();
        var session = new SessionFacts(new ConnectionInfo("c", IPAddress.Parse("10.1.1.1"), "10.1.1.1"), asks);

        Assert.Null(Check(Facts(session)).Finding);
        Assert.Empty(asks.Asked);
    }

    [Fact]
    public void A_message_that_cannot_be_read_is_noted_not_refused()
    {
        var verdict = Check(Facts(Phases.Session(inTransaction: true, recipients: 1, asks: new FakeAsks())));

        Assert.Equal(VerdictKind.Continue, verdict.Kind);
        Assert.Same(DkimFindings.None, verdict.Finding);
        Assert.NotNull(verdict.Failure);
    }

    [Fact]
    public void The_check_runs_after_the_body_checks_and_before_the_content_scan_only_with_dns_on()
    {
        var on = SessionPipelines.Standard(new SessionPolicy { Dns = Dns, ScanContent = true }).Message.Names.ToList();
        Assert.Equal(["data.size", "data.nul", "data.line-ends", "data.line-length", "data.dkim", "data.content"], on);
        Assert.DoesNotContain("data.dkim", SessionPipelines.Standard(new SessionPolicy { Dns = Dns, DkimMaxSignatures = 0 }).Message.Names);
        Assert.DoesNotContain("data.dkim", SessionPipelines.Standard(new SessionPolicy()).Message.Names);
    }
}
