using Akka.Actor;
using Akka.Event;
using Bulwark.Listener.Observability;
using Bulwark.Listener.Protocol;
using Bulwark.Policy.Sessions;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Listener.Sessions;

/// <summary>STARTTLS (RFC 3207) on the session's side; the require-TLS list is a MAIL check.</summary>
public sealed partial class SessionActor
{
    /// <summary>Set once the handshake succeeded; a session never leaves TLS.</summary>
    private TlsStarted? _tls;

    private SessionReply OnStartTls(SmtpCommand command)
    {
        var verdict = TlsRules.StartTls(_deps.Tls is not null, _tls is not null, _facts.Transaction is not null, command.Argument);
        if (!verdict.IsAccept) return Error(verdict.Reply);
        return new SessionReply(verdict.Reply) { StartTls = _deps.Tls };
    }

    /// <summary>RFC 3207 section 4.2: everything learnt in plain text is forgotten; the client must
    /// say EHLO again before anything else.</summary>
    private void OnTlsStarted(TlsStarted started)
    {
        _tls = started;
        EndTransaction("reset", null);
        _facts.UnderTls = true;
        _facts.Helo = null;
        _live.Phase(SmtpPhase.Connect);
        _log.Debug("{0} [{1}] TLS started: {2} {3}", _connection.ConnectionId, _connection.ClientIp, started.Protocol, started.Cipher);
        Sender.Tell(new SessionReply(Replies.Ok));
    }

    /// <summary>The protocol and cipher for the Received field's comment; null in plain text.</summary>
    private string? TlsDescription() => _tls is { } tls ? $"{ProtocolName(tls.Protocol)} with cipher {tls.Cipher}" : null;

    private static string ProtocolName(System.Security.Authentication.SslProtocols protocol) => protocol switch
    {
        System.Security.Authentication.SslProtocols.Tls13 => "TLSv1.3",
        System.Security.Authentication.SslProtocols.Tls12 => "TLSv1.2",
        _ => protocol.ToString(),
    };
}
