using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Bulwark.Delivery.Spool;
using Bulwark.Listener.Protocol;
using Bulwark.Listener.Sessions;
using Bulwark.Listener.Tls;
using Bulwark.Policy.Sessions;
using Bulwark.Policy.Verdicts;
using Bulwark.Contracts.IpReputation;
using Bulwark.Policy.Checks;

namespace Bulwark.Actors.Tests.Listener;

/// <summary>The session actor's side of STARTTLS and require-TLS, with probes for the entities.</summary>
public sealed class TlsSessionActorTests : TestKit
{
    // Long enough that a probe which does answer is never too late on a loaded machine (300 ms
    // was: a CI run saw the greeting's reputation ask time out); the tests of entities that do
    // not answer wait longer than this.
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(2);

    private readonly string _dir = Directory.CreateTempSubdirectory("bulwark-tls-session-").FullName;
    private readonly Akka.TestKit.TestProbe _reputation;
    private readonly TlsCertificateStore _store;
    private readonly IActorRef _session;
    private readonly SessionLimits _limits = new();

    public TlsSessionActorTests()
    {
        _reputation = CreateTestProbe();
        var certificate = TlsTestCertificates.Create();
        TlsTestCertificates.Write(certificate, Path.Combine(_dir, "c.pem"), Path.Combine(_dir, "k.pem"));
        _store = new TlsCertificateStore(Path.Combine(_dir, "c.pem"), Path.Combine(_dir, "k.pem"));
        var settings = new ListenerSettings("mx.test", _limits, new HashSet<string> { "example.test" }, "example.test",
            AskTimeout, ReputationEnabled: true)
        {
            RequireTlsFromDomains = new HashSet<string> { "bank.example" },
        };
        var deps = new SessionDependencies(CreateTestProbe(), _reputation, CreateTestProbe(), CreateTestProbe(),
            new FileSpool(Path.Combine(_dir, "spool")), settings) { Tls = _store };
        _session = Sys.ActorOf(SessionActor.Props(new ConnectionInfo("c1", IPAddress.Parse("192.0.2.7"), "192.0.2.7"), deps));
        _session.Tell(SessionOpened.Instance);
        var open = _reputation.ExpectMsg<OpenConnection>();
        _reputation.Reply(new ConnectionAdmission(open.IpKey, true, 1));
        Assert.Equal(220, ExpectMsg<SessionReply>().Reply.Code);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _store.Dispose();
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        }
        base.Dispose(disposing);
    }

    private SessionReply Command(string line)
    {
        _session.Tell(new CommandReceived(SmtpCommand.Parse(line)));
        return ExpectMsg<SessionReply>();
    }

    [Fact]
    public void Require_TLS_refusals_are_no_evidence_and_do_not_count_as_errors()
    {
        Command("EHLO client.test");
        for (var i = 0; i < _limits.MaxErrors + 2; i++)
        {
            var reply = Command("MAIL FROM:<p@bank.example>");
            Assert.Equal(530, reply.Reply.Code);
            Assert.False(reply.Close);
        }
        _reputation.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void STARTTLS_hands_the_store_to_the_I_O_loop_and_the_handshake_resets_the_session()
    {
        var ehlo = Command("EHLO client.test");
        Assert.Contains("STARTTLS", ehlo.Lines!);
        var start = Command("STARTTLS");
        Assert.Equal(Replies.ReadyToStartTls, start.Reply);
        Assert.Same(_store, start.StartTls);

        _session.Tell(new TlsStarted(SslProtocols.Tls13, TlsCipherSuite.TLS_AES_128_GCM_SHA256));
        ExpectMsg<SessionReply>();
        Assert.Equal(Replies.NeedHelo, Command("MAIL FROM:<p@bank.example>").Reply);
        Assert.DoesNotContain("STARTTLS", Command("EHLO client.test").Lines!);
        Assert.Equal(Replies.SenderOk, Command("MAIL FROM:<p@bank.example>").Reply);
        Assert.Equal(Replies.TlsAlreadyActive, Command("STARTTLS").Reply);
    }
}
