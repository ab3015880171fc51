using Akka.Event;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Listener.Sessions;

/// <summary>What a refusal does to the session: evidence against the client IP, a count toward
/// the error limit, or the end of the connection.</summary>
public sealed partial class SessionActor
{
    private SessionReply Error(SmtpReply reply)
    {
        _errors++;
        if (_errors >= _settings.Limits.MaxErrors)
        {
            _asks.Report(Evidence.ProtocolAbuse);
            return new SessionReply(Replies.TooManyErrors, Close: true);
        }
        return new SessionReply(reply);
    }

    private SessionReply Refusal(Verdict verdict)
    {
        if (!verdict.CountsAsError) return new SessionReply(verdict.Reply);
        _asks.Report(verdict.Evidence);
        if (verdict.Kind == VerdictKind.DenyDisconnect) return new SessionReply(verdict.Reply, Close: true);
        return Error(verdict.Reply);
    }

    /// <summary>A check that could not decide because what it asks failed: worth a warning.</summary>
    private void LogFailure(Verdict verdict)
    {
        if (verdict.Failure is { } failure)
            _log.Warning("{0} [{1}] {2}: {3}", _connection.ConnectionId, _connection.ClientIp, verdict.Check, failure);
    }
}
