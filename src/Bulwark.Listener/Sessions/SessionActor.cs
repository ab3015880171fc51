using Akka.Actor;
using Akka.Event;
using Bulwark.Listener.Observability;
using Bulwark.Listener.Protocol;
using Bulwark.Policy.Addressing;
using Bulwark.Policy.Sessions;
using Bulwark.Policy.Verdicts;
using Bulwark.Contracts.IpReputation;
using Bulwark.Contracts.RecipientDirectory;
using Bulwark.Contracts.Sharding;
using Bulwark.Policy.Recipients;

namespace Bulwark.Listener.Sessions;

/// <summary>
/// One SMTP connection's state and decisions. The I/O loop hands it each command and
/// sends back what it answers; the actor runs the pure phase rules, asks the sharded
/// entities (always with a timeout: a timeout or failure is 451 4.3.0, never a 5xx and
/// never an accept), and reports refusals as evidence against the client IP.
/// </summary>
public sealed partial class SessionActor : ReceiveActor
{
    private readonly ConnectionInfo _connection;
    private readonly SessionDependencies _deps;
    private readonly ListenerSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly TransactionLog _transaction = new();
    private readonly List<Mailbox> _recipients = new();

    private string? _helo;
    private bool _hasMail;
    private string _sender = "";
    private int _errors;
    private bool _admitted;
    private DataTarget? _data;
    private readonly LiveSession _live;

    public static Props Props(ConnectionInfo connection, SessionDependencies deps) =>
        Akka.Actor.Props.Create(() => new SessionActor(connection, deps));

    public SessionActor(ConnectionInfo connection, SessionDependencies deps)
    {
        _connection = connection;
        _deps = deps;
        _settings = deps.Settings;
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
        StartReverseLookup();
        if (!_settings.ReputationEnabled)
        {
            _admitted = true;
            SmtpCounters.Connection("accepted");
            sender.Tell(Greeting());
            return;
        }
        try
        {
            var admission = await _deps.IpReputation.AskEntity<ConnectionAdmission>(
                new OpenConnection(_connection.IpKey, _connection.ConnectionId, DateTimeOffset.UtcNow), _settings.AskTimeout, ShardNames.IpReputation);
            _admitted = admission.Admitted;
            SmtpCounters.Connection(admission.Admitted ? "accepted" : admission.Blocked ? "blocked" : "busy");
            sender.Tell(admission.Admitted
                ? Greeting()
                : new SessionReply(admission.Blocked ? Replies.Blocked : Replies.TooManyConnections, Close: true));
        }
        catch (Exception e)
        {
            // Without the farm's answer we cannot count this connection: defer, never refuse for good.
            _log.Warning("connect check failed for {0}: {1}", _connection.ClientIp, e.Message);
            SmtpCounters.Connection("deferred");
            sender.Tell(new SessionReply(new SmtpReply(421, "4.3.0", "temporary failure, try again later"), Close: true));
        }
    }

    private SessionReply Greeting() =>
        new(new SmtpReply(220, "", $"{_settings.Hostname} ESMTP Bulwark"));

    private Task OnCommand(SmtpCommand command)
    {
        var sender = Sender;
        switch (command.Verb)
        {
            case SmtpVerb.Helo or SmtpVerb.Ehlo:
                sender.Tell(OnHelo(command));
                return Task.CompletedTask;
            case SmtpVerb.Mail:
                return OnMail(command, sender);
            case SmtpVerb.Rcpt:
                return OnRcpt(command, sender);
            case SmtpVerb.Data:
                return OnData(sender);
            case SmtpVerb.Rset:
                EndTransaction("reset", null);
                sender.Tell(new SessionReply(Replies.ResetOk));
                return Task.CompletedTask;
            case SmtpVerb.Noop:
                sender.Tell(new SessionReply(Replies.NoopOk));
                return Task.CompletedTask;
            case SmtpVerb.Quit:
                if (_hasMail) EndTransaction("abandoned:quit", null);
                sender.Tell(new SessionReply(Replies.Bye, Close: true));
                return Task.CompletedTask;
            case SmtpVerb.Vrfy:
                // Answering VRFY would hand out the directory to harvesters.
                sender.Tell(new SessionReply(new SmtpReply(252, "2.5.2", "cannot verify, send some mail and we will see")));
                return Task.CompletedTask;
            case SmtpVerb.Help:
                sender.Tell(new SessionReply(new SmtpReply(214, "2.0.0", "see RFC 5321")));
                return Task.CompletedTask;
            case SmtpVerb.Auth:
                // Port 25 takes mail for local recipients only: no AUTH, so no password can open a relay.
                sender.Tell(Error(Replies.AuthNotOffered));
                return Task.CompletedTask;
            case SmtpVerb.StartTls:
                sender.Tell(OnStartTls(command));
                return Task.CompletedTask;
            case SmtpVerb.Expn or SmtpVerb.Bdat:
                sender.Tell(Error(Replies.NotImplemented));
                return Task.CompletedTask;
            default:
                sender.Tell(Error(Replies.SyntaxError));
                return Task.CompletedTask;
        }
    }

    private SessionReply OnHelo(SmtpCommand command)
    {
        var verdict = PhaseRules.Helo(command.Argument);
        if (!verdict.IsAccept) return Error(verdict.Reply);
        EndTransaction("reset", null);
        _helo = command.Argument;
        _live.Helo(command.Argument);
        _live.Phase(SmtpPhase.Helo);
        if (command.Verb == SmtpVerb.Helo)
            return new SessionReply(new SmtpReply(250, "", _settings.Hostname));
        var lines = new List<string>
        {
            $"{_settings.Hostname} greets {command.Argument}",
            "PIPELINING",
            $"SIZE {_settings.Limits.MaxMessageBytes}",
            "8BITMIME",
            "ENHANCEDSTATUSCODES",
            "SMTPUTF8",
        };
        if (TlsRules.Advertise(_deps.Tls is not null, _tls is not null)) lines.Add("STARTTLS");
        return new SessionReply(new SmtpReply(250, "", "")) { Lines = lines };
    }

    private async Task OnMail(SmtpCommand command, IActorRef sender)
    {
        ParsedPath? path = null;
        var verdict = command.Malformed
            ? Verdict.Refuse(Replies.ParameterSyntax, "mail.syntax")
            : PhaseRules.Mail(_helo is not null, _hasMail, command.Argument, _settings.Limits, out path);
        if (verdict.IsAccept && path is not null && RequireTls(path) is { } plainText)
        {
            // Not the client's fault as far as abuse goes: no error count, no evidence.
            LogRefusedSender(command.Argument, plainText);
            sender.Tell(new SessionReply(plainText.Reply));
            return;
        }
        if (verdict.IsAccept && path is not null)
        {
            var dns = await CheckSenderDns(path);
            if (dns.Kind == VerdictKind.Continue) Begin(path);
            else verdict = dns;
        }
        if (!verdict.IsAccept) LogRefusedSender(command.Argument, verdict);
        sender.Tell(verdict.IsAccept ? new SessionReply(verdict.Reply) : Refusal(verdict));
    }

    private void Begin(ParsedPath path)
    {
        _hasMail = true;
        _sender = path.Mailbox?.Address ?? "";
        _recipients.Clear();
        _transaction.Begin(_sender);
        _live.Phase(SmtpPhase.Mail);
        _live.Transaction(_sender, 0);
    }

    /// <summary>A refused MAIL is a transaction of its own for the log: client, sender, why.</summary>
    private void LogRefusedSender(string argument, Verdict verdict)
    {
        if (verdict.Check is "mail.sequence") return;
        _transaction.Begin(argument.Split(' ')[0].Trim('<', '>'));
        EndTransaction("refused", verdict.Reply, verdict.Check);
    }

    private async Task OnRcpt(SmtpCommand command, IActorRef sender)
    {
        var precheck = command.Malformed
            ? Verdict.Refuse(Replies.ParameterSyntax, "rcpt.syntax")
            : PhaseRules.RcptPrecheck(_hasMail, _recipients.Count, _settings.Limits, command.Argument, _settings.AcceptedDomains, _settings.PrimaryDomain, out var mailbox)
                is var p && p.Kind != VerdictKind.Continue ? p : await LookUp(mailbox!);
        if (_hasMail) _transaction.Recipient(command.Argument.Split(' ')[0].Trim('<', '>'), precheck);
        if (precheck.IsAccept)
        {
            sender.Tell(new SessionReply(precheck.Reply));
            return;
        }
        sender.Tell(Refusal(precheck));
    }

    private async Task<Verdict> LookUp(Mailbox mailbox)
    {
        var localPart = mailbox.LocalPart.ToLowerInvariant();
        var lookup = KnownOnThisNode(mailbox.Domain, localPart) ?? await AskDirectory(mailbox.Domain, localPart);
        var verdict = PhaseRules.RcptFromLookup(lookup);
        if (verdict.IsAccept)
        {
            _recipients.Add(mailbox);
            _live.Phase(SmtpPhase.Rcpt);
            _live.Transaction(_sender, _recipients.Count);
        }
        return verdict;
    }

    /// <summary>What this node answers without an ask: the directory's configuration, or a
    /// call-ahead answer it kept. Null: only the entity can tell.</summary>
    private RecipientLookup? KnownOnThisNode(string domain, string localPart)
    {
        if (_deps.Directory is { } directory && StaticDirectory.Answer(directory.For(domain), localPart) is var (known, _))
            return ToLookup(known);
        if (_deps.CallAheadAnswers is { } kept && kept.TryGet(domain, localPart, DateTimeOffset.UtcNow, out var cached))
            return ToLookup(cached);
        return null;
    }

    /// <summary>Only call-ahead domains get here: the entity shares one probe among concurrent
    /// asks for an address and caches its answer farm-wide; this node keeps the answer as long
    /// as the entity does.</summary>
    private async Task<RecipientLookup> AskDirectory(string domain, string localPart)
    {
        try
        {
            var answer = await _deps.RecipientDirectory.AskEntity<RecipientAnswer>(
                new VerifyRecipient(domain, localPart), _settings.AskTimeout, ShardNames.RecipientDirectory);
            _deps.CallAheadAnswers?.Keep(answer, DateTimeOffset.UtcNow);
            return ToLookup(answer.Existence);
        }
        catch (Exception e)
        {
            _log.Warning("recipient lookup for {0} failed: {1}", domain, e.Message);
            return RecipientLookup.TemporaryFailure;
        }
    }

    private static RecipientLookup ToLookup(RecipientExistence existence) => existence switch
    {
        RecipientExistence.Exists => RecipientLookup.Exists,
        RecipientExistence.Unknown => RecipientLookup.Unknown,
        _ => RecipientLookup.TemporaryFailure,
    };
}
