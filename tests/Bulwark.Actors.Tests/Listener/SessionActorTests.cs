using System.Net;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Bulwark.Delivery;
using Bulwark.Delivery.Spool;
using Bulwark.Listener.Protocol;
using Bulwark.Listener.Sessions;
using Bulwark.Policy.Sessions;
using Bulwark.Policy.Verdicts;
using Bulwark.Contracts.IpReputation;
using Bulwark.Contracts.RecipientDirectory;
using Bulwark.Policy.Recipients;
using Bulwark.Policy.Checks;

namespace Bulwark.Actors.Tests.Listener;

public sealed class SessionActorTests : TestKit, IDisposable
{
    // Long enough that a probe which does answer is never too late on a loaded machine (300 ms
    // was: a CI run saw the greeting's reputation ask time out); the tests of entities that do
    // not answer wait longer than this.
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(2);

    private readonly string _spoolRoot = Directory.CreateTempSubdirectory("bulwark-session-").FullName;
    private readonly Akka.TestKit.TestProbe _directory;
    private readonly Akka.TestKit.TestProbe _reputation;
    private readonly Akka.TestKit.TestProbe _delivery;
    private readonly IActorRef _session;

    public SessionActorTests()
    {
        _directory = CreateTestProbe();
        _reputation = CreateTestProbe();
        _delivery = CreateTestProbe();
        var settings = new ListenerSettings("mx.test", new SessionLimits(), new HashSet<string> { "example.test" }, "example.test",
            AskTimeout, ReputationEnabled: true);
        var deps = new SessionDependencies(_directory, _reputation, _delivery, CreateTestProbe(), new FileSpool(_spoolRoot), settings);
        _session = Sys.ActorOf(SessionActor.Props(new ConnectionInfo("c1", IPAddress.Parse("192.0.2.7"), "192.0.2.7"), deps));
    }

    private SessionReply Command(string line)
    {
        _session.Tell(new CommandReceived(SmtpCommand.Parse(line)));
        return ExpectMsg<SessionReply>();
    }

    private void Greet()
    {
        _session.Tell(SessionOpened.Instance);
        var open = _reputation.ExpectMsg<OpenConnection>();
        Assert.Equal("192.0.2.7", open.IpKey);
        _reputation.Reply(new ConnectionAdmission(open.IpKey, true, 1));
        Assert.Equal(220, ExpectMsg<SessionReply>().Reply.Code);
        Assert.Equal(250, Command("EHLO client.test").Reply.Code);
        Assert.Equal(Replies.SenderOk, Command("MAIL FROM:<a@remote.test>").Reply);
    }

    private void AcceptAlice()
    {
        _session.Tell(new CommandReceived(SmtpCommand.Parse("RCPT TO:<alice@example.test>")));
        _directory.ExpectMsg<VerifyRecipient>();
        _directory.Reply(new RecipientAnswer("example.test", "alice", RecipientExistence.Exists, "static"));
        Assert.Equal(Replies.RecipientOk, ExpectMsg<SessionReply>().Reply);
    }

    [Fact]
    public void A_known_recipient_is_asked_of_the_directory_and_accepted()
    {
        Greet();
        _session.Tell(new CommandReceived(SmtpCommand.Parse("RCPT TO:<Alice@example.test>")));
        var ask = _directory.ExpectMsg<VerifyRecipient>();
        Assert.Equal(("example.test", "alice"), (ask.Domain, ask.LocalPart));
        _directory.Reply(new RecipientAnswer("example.test", "alice", RecipientExistence.Exists, "static"));
        Assert.Equal(Replies.RecipientOk, ExpectMsg<SessionReply>().Reply);
    }

    [Fact]
    public void An_unknown_recipient_is_refused_and_reported_as_evidence()
    {
        Greet();
        _session.Tell(new CommandReceived(SmtpCommand.Parse("RCPT TO:<nobody@example.test>")));
        _directory.ExpectMsg<VerifyRecipient>();
        _directory.Reply(new RecipientAnswer("example.test", "nobody", RecipientExistence.Unknown, "static"));
        Assert.Equal(Replies.UnknownRecipient, ExpectMsg<SessionReply>().Reply);
        Assert.Equal(Evidence.UnknownRecipient, _reputation.ExpectMsg<ReportEvidence>().Evidence);
    }

    [Fact]
    public void A_directory_that_does_not_answer_gives_451_4_3_0_never_an_accept()
    {
        Greet();
        _session.Tell(new CommandReceived(SmtpCommand.Parse("RCPT TO:<alice@example.test>")));
        _directory.ExpectMsg<VerifyRecipient>();
        var reply = ExpectMsg<SessionReply>(TimeSpan.FromSeconds(5));
        Assert.Equal("451 4.3.0 temporary failure, try again later", reply.Reply.ToWire());
    }

    [Fact]
    public void A_relay_attempt_never_reaches_the_directory()
    {
        Greet();
        Assert.Equal("550 5.7.1", $"{Command("RCPT TO:<x@elsewhere.test>").Reply.Code} 5.7.1");
        _directory.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(Evidence.RelayAttempt, _reputation.ExpectMsg<ReportEvidence>().Evidence);
    }

    [Fact]
    public void A_refused_connection_admission_closes_with_421()
    {
        _session.Tell(SessionOpened.Instance);
        var open = _reputation.ExpectMsg<OpenConnection>();
        _reputation.Reply(new ConnectionAdmission(open.IpKey, false, 20));
        var reply = ExpectMsg<SessionReply>();
        Assert.Equal(Replies.TooManyConnections, reply.Reply);
        Assert.True(reply.Close);
    }

    [Fact]
    public void A_reputation_entity_that_does_not_answer_defers_the_connection_with_421()
    {
        _session.Tell(SessionOpened.Instance);
        _reputation.ExpectMsg<OpenConnection>();
        var reply = ExpectMsg<SessionReply>(TimeSpan.FromSeconds(5));
        Assert.Equal(421, reply.Reply.Code);
        Assert.True(reply.Close);
    }

    [Fact]
    public void An_accepted_body_is_committed_to_the_spool_before_the_250_and_handed_to_delivery()
    {
        Greet();
        AcceptAlice();

        var start = Command("DATA");
        Assert.Equal(354, start.Reply.Code);
        start.Data!.Entry.Body.Write(start.Data.TraceHeader);
        start.Data.Entry.Body.Write("Subject: t\r\n\r\nhi\r\n"u8);
        _session.Tell(new DataBodyReceived(new DataOutcome(DataFaults.None, 20, true)));
        var queued = ExpectMsg<SessionReply>();

        Assert.StartsWith("250 2.0.0 queued as ", queued.Reply.ToWire());
        var enqueued = _delivery.ExpectMsg<Enqueued>();
        var spool = new FileSpool(_spoolRoot);
        var envelope = Assert.Single(spool.List());
        Assert.Equal(enqueued.QueueId, envelope.QueueId);
        Assert.Equal(["alice@example.test"], envelope.Recipients);
        using var body = new StreamReader(spool.OpenBody(envelope.QueueId));
        var text = body.ReadToEnd();
        Assert.StartsWith("Received: from client.test ([192.0.2.7])", text);
        Assert.EndsWith("Subject: t\r\n\r\nhi\r\n", text);
    }

    [Fact]
    public void A_faulty_body_is_discarded_and_refused()
    {
        Greet();
        AcceptAlice();
        Command("DATA");
        _session.Tell(new DataBodyReceived(new DataOutcome(DataFaults.BareLineFeed, 20, true)));

        Assert.Equal(Replies.BareLineEnd, ExpectMsg<SessionReply>().Reply);
        _delivery.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Empty(new FileSpool(_spoolRoot).List());
    }

    public new void Dispose()
    {
        base.Dispose();
        try { Directory.Delete(_spoolRoot, recursive: true); } catch (IOException) { }
    }
}
