using Bulwark.Policy.Checks;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Tests.Checks;

public sealed class PhasePipelineTests
{
    private sealed class Fixed(string name, Verdict verdict, List<string>? ran = null) : ICheck<SessionFacts>
    {
        public string Name => name;

        public ValueTask<Verdict> CheckAsync(SessionFacts facts)
        {
            ran?.Add(name);
            return new(verdict);
        }
    }

    private sealed class Throwing : ICheck<SessionFacts>
    {
        public string Name => "test.throws";
        public ValueTask<Verdict> CheckAsync(SessionFacts facts) => throw new InvalidOperationException("boom");
    }

    private static readonly Verdict Accepted = Verdict.Accept(Replies.Ok, "test");

    [Fact]
    public void The_first_verdict_other_than_continue_ends_the_phase()
    {
        var ran = new List<string>();
        var pipeline = new PhasePipeline<SessionFacts>("test",
        [
            new Fixed("a", Verdict.Continue("a"), ran),
            new Fixed("b", Verdict.Refuse(Replies.RelayDenied, "b"), ran),
            new Fixed("c", Verdict.Continue("c"), ran),
        ], Accepted);

        var verdict = Phases.Run(pipeline, Phases.Session());

        Assert.Equal("b", verdict.Check);
        Assert.Equal(["a", "b"], ran);
    }

    [Fact]
    public void When_every_check_continues_the_phase_answers_its_own_verdict() =>
        Assert.Same(Accepted, Phases.Run(new PhasePipeline<SessionFacts>("test", [new Fixed("a", Verdict.Continue("a"))], Accepted), Phases.Session()));

    [Fact]
    public void A_check_that_throws_is_a_temporary_failure_of_that_check_never_a_refusal_for_good()
    {
        var verdict = Phases.Run(new PhasePipeline<SessionFacts>("test", [new Throwing()], Accepted), Phases.Session());

        Assert.Equal(Replies.TemporaryFailure, verdict.Reply);
        Assert.Equal("test.throws", verdict.Check);
        Assert.Equal("boom", verdict.Failure);
    }

    [Fact]
    public async Task Findings_of_every_verdict_are_kept_the_deciding_one_included()
    {
        var first = new IprevAnswer(IprevResult.Pass, "a.test");
        var second = new IprevAnswer(IprevResult.Fail, null);
        var pipeline = new PhasePipeline<SessionFacts>("test",
        [
            new Fixed("a", Verdict.Continue("a") with { Finding = first }),
            new Fixed("b", Verdict.Refuse(Replies.RelayDenied, "b") with { Finding = second }),
        ], Accepted);
        var findings = new List<IFinding>();

        await pipeline.RunAsync(Phases.Session(), findings);

        Assert.Equal([first, second], findings);
    }

    [Fact]
    public void The_standard_pipelines_put_the_recipient_directory_after_every_cheap_rcpt_check_and_content_last()
    {
        var pipelines = SessionPipelines.Standard(new SessionPolicy
        {
            ReputationEnabled = true,
            ScanContent = true,
            Dns = new DnsChecks(true, [], MailFromOptions.Default, IprevAction.Reject, TimeSpan.FromSeconds(25)),
        });
        var phases = pipelines.Describe().ToDictionary(p => p.Phase, p => p.Checks);

        Assert.Equal(["connect.reputation", "connect.iprev"], phases["connect"]);
        Assert.Equal(["helo.syntax"], phases["helo"]);
        Assert.Equal(["mail.syntax", "mail.sequence", "mail.syntax", "mail.parameters", "mail.require-tls", "client.iprev", "mail.spf"], phases["mail"]);
        Assert.Equal(["rcpt.syntax", "rcpt.sequence", "rcpt.count", "rcpt.syntax", "rcpt.parameters", "rcpt.relay", "rcpt.directory"], phases["rcpt"]);
        Assert.Equal(["data.sequence", "data.recipients"], phases["data"]);
        Assert.Equal(["data.size", "data.nul", "data.line-ends", "data.line-length", "data.dkim", "data.content"], phases["message"]);
    }

    [Fact]
    public void Recorded_only_reverse_dns_is_looked_at_when_a_message_is_coming_not_at_MAIL()
    {
        var pipelines = SessionPipelines.Standard(new SessionPolicy
        {
            Dns = new DnsChecks(true, [], MailFromOptions.Default, IprevAction.RecordOnly, TimeSpan.FromSeconds(25)),
        });

        Assert.DoesNotContain("client.iprev", pipelines.Mail.Names);
        Assert.Contains("client.iprev", pipelines.Data.Names);
        Assert.Equal(["connect.iprev"], pipelines.Connect.Names);
    }

    [Fact]
    public void Without_reputation_dns_or_scanners_no_check_asks_anything()
    {
        var pipelines = SessionPipelines.Standard(new SessionPolicy());

        Assert.Empty(pipelines.Connect.Checks);
        Assert.DoesNotContain("mail.spf", pipelines.Mail.Names);
        Assert.DoesNotContain("data.content", pipelines.Message.Names);
    }
}
