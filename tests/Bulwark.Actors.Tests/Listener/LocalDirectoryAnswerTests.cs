using System.Net;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Bulwark.Delivery.Spool;
using Bulwark.Listener.Protocol;
using Bulwark.Listener.Sessions;
using Bulwark.Policy.Sessions;
using Bulwark.Policy.Verdicts;
using Bulwark.Contracts.IpReputation;
using Bulwark.Contracts.RecipientDirectory;
using Bulwark.NodeCaches;
using Bulwark.Policy.Recipients;
using Bulwark.Policy.Checks;

namespace Bulwark.Actors.Tests.Listener;

/// <summary>With the node's copy of the directory configuration, the session answers what needs
/// no call-ahead itself; only call-ahead domains are asked of the sharded entity.</summary>
public sealed class LocalDirectoryAnswerTests : TestKit, IDisposable
{
    // Long enough that a probe which does answer is never too late on a loaded machine (300 ms
    // was: a CI run saw the greeting's reputation ask time out); the tests of entities that do
    // not answer wait longer than this.
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(2);

    private readonly string _spoolRoot = Directory.CreateTempSubdirectory("bulwark-localdir-").FullName;
    private readonly Akka.TestKit.TestProbe _directory;
    private readonly Akka.TestKit.TestProbe _reputation;
    private readonly IActorRef _session;

    public LocalDirectoryAnswerTests()
    {
        _directory = CreateTestProbe();
        _reputation = CreateTestProbe();
        var domains = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "example.test", "all.test", "probe.test" };
        var settings = new ListenerSettings("mx.test", new SessionLimits(), domains, "example.test",
            AskTimeout, ReputationEnabled: true);
        var directory = new RecipientDirectoryOptions
        {
            Domains = new Dictionary<string, DomainDirectoryOptions>(StringComparer.OrdinalIgnoreCase)
            {
                ["example.test"] = new() { StaticRecipients = new HashSet<string> { "alice" } },
                ["all.test"] = new() { CatchAll = true },
                ["probe.test"] = new() { StaticRecipients = new HashSet<string> { "bob" }, CallAhead = new CallAheadOptions { Enabled = true } },
            },
        };
        var deps = new SessionDependencies(_directory, _reputation, CreateTestProbe(), CreateTestProbe(), new FileSpool(_spoolRoot), settings)
        {
            Directory = directory,
            CallAheadAnswers = new NodeCallAheadAnswers(directory),
        };
        _session = Sys.ActorOf(SessionActor.Props(new ConnectionInfo("c1", IPAddress.Parse("192.0.2.7"), "192.0.2.7"), deps));
        _session.Tell(SessionOpened.Instance);
        var open = _reputation.ExpectMsg<OpenConnection>();
        _reputation.Reply(new ConnectionAdmission(open.IpKey, true, 1));
        Assert.Equal(220, ExpectMsg<SessionReply>().Reply.Code);
        Assert.Equal(250, Command("EHLO client.test").Reply.Code);
        Assert.Equal(Replies.SenderOk, Command("MAIL FROM:<a@remote.test>").Reply);
    }

    private SessionReply Command(string line)
    {
        _session.Tell(new CommandReceived(SmtpCommand.Parse(line)));
        return ExpectMsg<SessionReply>();
    }

    [Theory]
    [InlineData("RCPT TO:<Alice@example.test>")]
    [InlineData("RCPT TO:<postmaster@example.test>")]
    [InlineData("RCPT TO:<anyone@ALL.test>")]
    [InlineData("RCPT TO:<bob@probe.test>")]
    public void Listed_postmaster_and_catch_all_recipients_are_accepted_without_an_ask(string rcpt)
    {
        Assert.Equal(Replies.RecipientOk, Command(rcpt).Reply);
        _directory.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void An_unlisted_recipient_of_a_domain_without_call_ahead_is_refused_without_an_ask_and_still_counts_as_evidence()
    {
        Assert.Equal(Replies.UnknownRecipient, Command("RCPT TO:<nobody@example.test>").Reply);
        _directory.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(Evidence.UnknownRecipient, _reputation.ExpectMsg<ReportEvidence>().Evidence);
    }

    [Fact]
    public void An_unlisted_recipient_of_a_call_ahead_domain_is_asked_of_the_entity()
    {
        _session.Tell(new CommandReceived(SmtpCommand.Parse("RCPT TO:<carol@probe.test>")));
        var ask = _directory.ExpectMsg<VerifyRecipient>();
        Assert.Equal(("probe.test", "carol"), (ask.Domain, ask.LocalPart));
        _directory.Reply(new RecipientAnswer("probe.test", "carol", RecipientExistence.TemporaryFailure, "call-ahead"));
        Assert.Equal("451 4.3.0 temporary failure, try again later", ExpectMsg<SessionReply>().Reply.ToWire());
    }

    [Fact]
    public void A_call_ahead_answer_is_kept_on_the_node_as_long_as_the_entity_said_and_a_failure_is_not()
    {
        _session.Tell(new CommandReceived(SmtpCommand.Parse("RCPT TO:<dave@probe.test>")));
        _directory.ExpectMsg<VerifyRecipient>();
        _directory.Reply(new RecipientAnswer("probe.test", "dave", RecipientExistence.Exists, "call-ahead")
        {
            ValidUntil = DateTimeOffset.UtcNow.AddMinutes(10),
        });
        Assert.Equal(Replies.RecipientOk, ExpectMsg<SessionReply>().Reply);

        // The same recipient again: answered on the node, no ask.
        Assert.Equal(Replies.RecipientOk, Command("RCPT TO:<Dave@probe.test>").Reply);
        _directory.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        // A temporary failure is asked again next time.
        _session.Tell(new CommandReceived(SmtpCommand.Parse("RCPT TO:<erin@probe.test>")));
        _directory.ExpectMsg<VerifyRecipient>();
        _directory.Reply(new RecipientAnswer("probe.test", "erin", RecipientExistence.TemporaryFailure, "call-ahead"));
        Assert.Equal(451, ExpectMsg<SessionReply>().Reply.Code);
        _session.Tell(new CommandReceived(SmtpCommand.Parse("RCPT TO:<erin@probe.test>")));
        _directory.ExpectMsg<VerifyRecipient>();
    }

    public new void Dispose()
    {
        base.Dispose();
        try { Directory.Delete(_spoolRoot, recursive: true); } catch (IOException) { }
    }
}
