using Akka.Actor;
using Akka.Event;
using Bulwark.Listener.Observability;
using Bulwark.Listener.Protocol;
using Bulwark.Policy.Checks;
using Bulwark.Policy.Sessions;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Listener.Sessions;

/// <summary>
/// One SMTP connection's state. The I/O loop hands it each command and sends back what it
/// answers; the actor runs the phase's pipeline of checks (<see cref="SessionPipelines"/>),
/// applies the verdict to the session (a transaction opens, a recipient is added, a message is
/// stored) and reports refusals as evidence against the client IP. The checks decide; this
/// actor keeps the state and the order of the dialogue.
/// </summary>
public sealed partial class SessionActor : ReceiveActor
{
    private readonly ConnectionInfo _connection;
    private readonly SessionDependencies _deps;
    private readonly ListenerSettings _settings;
    private readonly SessionPipelines _pipelines;
    private readonly EntityAsks _asks;
    private readonly SessionFacts _facts;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly TransactionLog _transaction = new();
    private readonly LiveSession _live;

    private int _errors;
    private DataTarget? _data;

    public static Props Props(ConnectionInfo connection, SessionDependencies deps) =>
        Akka.Actor.Props.Create(() => new SessionActor(connection, deps));

    public SessionActor(ConnectionInfo connection, SessionDependencies deps)
    {
        _connection = connection;
        _deps = deps;
        _settings = deps.Settings;
        _pipelines = deps.Pipelines;
        _asks = new EntityAsks(connection, deps);
        _facts = new SessionFacts(connection, _asks);
        _live = deps.Sessions.Open(connection.ConnectionId, connection.ClientIp);

        ReceiveAsync<SessionOpened>(_ => OnOpened());
        ReceiveAsync<CommandReceived>(command => OnCommand(command.Command));
        Receive<CommandLineTooLong>(_ => Sender.Tell(Error(Replies.LineTooLong)));
        ReceiveAsync<DataBodyReceived>(body => OnDataBody(body.Outcome));
        Receive<TlsStarted>(OnTlsStarted);
        Receive<ConnectionEnded>(ended => OnEnded(ended.Reason));
    }

    private async Task OnOpened()
    {
        var sender = Sender;
        var verdict = await _pipelines.Connect.RunAsync(_facts);
        SmtpCounters.Connection(verdict.IsAccept ? "accepted" : verdict.Reason ?? "refused");
        LogFailure(verdict);
        sender.Tell(verdict.IsAccept ? new SessionReply(verdict.Reply) : Refusal(verdict));
    }

    private Task OnCommand(SmtpCommand command)
    {
        var sender = Sender;
        switch (command.Verb)
        {
            case SmtpVerb.Helo or SmtpVerb.Ehlo:
                return OnHelo(command, sender);
            case SmtpVerb.Mail:
                return OnMail(command.Path!, sender);
            case SmtpVerb.Rcpt:
                return OnRcpt(command.Path!, sender);
            case SmtpVerb.Data:
                return OnData(sender);
            case SmtpVerb.Rset:
                EndTransaction("reset", null);
                sender.Tell(new SessionReply(Replies.ResetOk));
                break;
            case SmtpVerb.Noop:
                sender.Tell(new SessionReply(Replies.NoopOk));
                break;
            case SmtpVerb.Quit:
                if (_facts.Transaction is not null) EndTransaction("abandoned:quit", null);
                sender.Tell(new SessionReply(Replies.Bye, Close: true));
                break;
            case SmtpVerb.Vrfy:
                // Answering VRFY would hand out the directory to harvesters.
                sender.Tell(new SessionReply(Replies.CannotVerify));
                break;
            case SmtpVerb.Help:
                sender.Tell(new SessionReply(Replies.Help));
                break;
            case SmtpVerb.Auth:
                // Port 25 takes mail for local recipients only: no AUTH, so no password can open a relay.
                sender.Tell(Error(Replies.AuthNotOffered));
                break;
            case SmtpVerb.StartTls:
                sender.Tell(OnStartTls(command));
                break;
            case SmtpVerb.Expn or SmtpVerb.Bdat:
                sender.Tell(Error(Replies.NotImplemented));
                break;
            default:
                sender.Tell(Error(Replies.SyntaxError));
                break;
        }
        return Task.CompletedTask;
    }

    private async Task OnHelo(SmtpCommand command, IActorRef sender)
    {
        var verdict = await _pipelines.Helo.RunAsync(new HeloFacts(_facts, command.Argument));
        if (!verdict.IsAccept)
        {
            sender.Tell(Refusal(verdict));
            return;
        }
        EndTransaction("reset", null);
        _facts.Helo = command.Argument;
        _live.Helo(command.Argument);
        _live.Phase(SmtpPhase.Helo);
        var reply = new SessionReply(Replies.HeloOk(_settings.Hostname));
        sender.Tell(command.Verb == SmtpVerb.Helo ? reply : reply with
        {
            Lines = Replies.EhloLines(_settings.Hostname, command.Argument,
                EhloKeywords.For(_settings.Limits, TlsRules.Advertise(_deps.Tls is not null, _facts.UnderTls))),
        });
    }

    private void OnEnded(string reason)
    {
        if (_facts.Transaction is not null) EndTransaction($"abandoned:{reason}", null);
        Context.Stop(Self);
    }

    protected override void PostStop()
    {
        _deps.Sessions.Close(_connection.ConnectionId);
        _data?.Entry.Dispose();
        _asks.ConnectionEnded();
    }
}
