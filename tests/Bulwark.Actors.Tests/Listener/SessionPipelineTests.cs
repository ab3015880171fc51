using System.Net;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Bulwark.Delivery;
using Bulwark.Delivery.Spool;
using Bulwark.Listener.Protocol;
using Bulwark.Listener.Sessions;
using Bulwark.Policy.Checks;
using Bulwark.Policy.Recipients;
using Bulwark.Policy.Sessions;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Actors.Tests.Listener;

/// <summary>The session applies whatever verdict its pipelines give: a check added to a phase is
/// all a new policy takes. Here a discard check at RCPT and a refusing check at HELO.</summary>
public sealed class SessionPipelineTests : TestKit, IDisposable
{
    private readonly string _spoolRoot = Directory.CreateTempSubdirectory("bulwark-pipeline-").FullName;
    private readonly Akka.TestKit.TestProbe _delivery;

    public SessionPipelineTests() => _delivery = CreateTestProbe();

    private sealed class DiscardFrom(string sender) : ICheck<RcptFacts>
    {
        public string Name => "rcpt.test-discard";

        public ValueTask<Verdict> CheckAsync(RcptFacts facts) => new(facts.Session.Transaction?.Sender == sender
            ? Verdict.Discard(Replies.RecipientOk, Name)
            : Verdict.Continue(Name));
    }

    private sealed class RefuseHelo(string name) : ICheck<HeloFacts>
    {
        public string Name => "helo.test-refuse";

        public ValueTask<Verdict> CheckAsync(HeloFacts facts) => new(facts.Argument == name
            ? Verdict.Refuse(Replies.RelayDenied, Name)
            : Verdict.Continue(Name));
    }

    private IActorRef Start(Func<SessionPipelines, SessionPipelines> change)
    {
        var settings = new ListenerSettings("mx.test", new SessionLimits(), new HashSet<string> { "example.test" }, "example.test",
            TimeSpan.FromSeconds(2), ReputationEnabled: false);
        var standard = SessionPipelines.Standard(settings.Policy(scanContent: false));
        var deps = new SessionDependencies(CreateTestProbe(), CreateTestProbe(), _delivery, CreateTestProbe(), new FileSpool(_spoolRoot), settings)
        {
            Directory = new RecipientDirectoryOptions(),
            Pipelines = change(standard),
        };
        var session = Sys.ActorOf(SessionActor.Props(new ConnectionInfo("c1", IPAddress.Parse("192.0.2.7"), "192.0.2.7"), deps));
        session.Tell(SessionOpened.Instance);
        Assert.Equal(220, ExpectMsg<SessionReply>().Reply.Code);
        return session;
    }

    private SessionReply Command(IActorRef session, string line)
    {
        session.Tell(new CommandReceived(SmtpCommand.Parse(line)));
        return ExpectMsg<SessionReply>();
    }

    [Fact]
    public void A_discarded_transaction_is_answered_as_if_accepted_and_nothing_is_stored_or_delivered()
    {
        var session = Start(p => new SessionPipelines
        {
            Connect = p.Connect, Helo = p.Helo, Mail = p.Mail, Data = p.Data, Message = p.Message,
            Rcpt = new PhasePipeline<RcptFacts>("rcpt", [.. p.Rcpt.Checks, new DiscardFrom("spam@remote.test")], p.Rcpt.WhenAllContinue),
        });
        Command(session, "EHLO client.test");
        Command(session, "MAIL FROM:<spam@remote.test>");
        Assert.Equal(Replies.RecipientOk, Command(session, "RCPT TO:<postmaster@example.test>").Reply);
        var start = Command(session, "DATA");
        start.Data!.Entry.Body.Write("Subject: t\r\n\r\nhi\r\n"u8);
        session.Tell(new DataBodyReceived(new DataOutcome(DataFaults.None, 20, true)));

        Assert.StartsWith("250 2.0.0 queued as ", ExpectMsg<SessionReply>().Reply.ToWire());
        _delivery.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Empty(new FileSpool(_spoolRoot).List());
    }

    [Fact]
    public void A_check_added_to_a_phase_decides_that_phase()
    {
        var session = Start(p => new SessionPipelines
        {
            Connect = p.Connect, Mail = p.Mail, Rcpt = p.Rcpt, Data = p.Data, Message = p.Message,
            Helo = new PhasePipeline<HeloFacts>("helo", [.. p.Helo.Checks, new RefuseHelo("bad.test")], p.Helo.WhenAllContinue),
        });

        Assert.Equal(Replies.RelayDenied, Command(session, "HELO bad.test").Reply);
        Assert.Equal(250, Command(session, "HELO good.test").Reply.Code);
        Assert.Equal(Replies.SenderOk, Command(session, "MAIL FROM:<a@remote.test>").Reply);
    }

    public new void Dispose()
    {
        base.Dispose();
        try { Directory.Delete(_spoolRoot, recursive: true); } catch (IOException) { }
    }
}
