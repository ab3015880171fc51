using Akka.Event;
using Akka.Actor;
using Bulwark.Listener.Observability;
using Bulwark.Policy.Addressing;
using Bulwark.Policy.Checks;
using Bulwark.Policy.Checks.Mail;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Listener.Sessions;

/// <summary>MAIL and RCPT: a transaction opens with an accepted sender and gathers recipients.</summary>
public sealed partial class SessionActor
{
    private async Task OnMail(PathArgument argument, IActorRef sender)
    {
        var findings = new List<IFinding>(2);
        var verdict = await _pipelines.Mail.RunAsync(new MailFacts(_facts, argument), findings);
        if (verdict.IsAccept || verdict.Kind == VerdictKind.Discard)
        {
            Begin(argument.Path!, findings);
            if (verdict.Kind == VerdictKind.Discard) _facts.Transaction!.Discarded = verdict;
            sender.Tell(new SessionReply(verdict.Reply));
            return;
        }
        LogFailure(verdict);
        // A refused MAIL is a transaction of its own for the log: client, sender, why.
        if (verdict.Check is not MailSequence.CheckName)
        {
            _transaction.Begin(argument.LogForm);
            EndTransaction("refused", verdict.Reply, verdict.Check);
        }
        sender.Tell(Refusal(verdict));
    }

    private void Begin(ParsedPath path, IEnumerable<IFinding> findings)
    {
        _facts.Transaction = new TransactionFacts(path, findings);
        _transaction.Begin(_facts.Transaction.Sender);
        _live.Phase(SmtpPhase.Mail);
        _live.Transaction(_facts.Transaction.Sender, 0);
    }

    private async Task OnRcpt(PathArgument argument, IActorRef sender)
    {
        var facts = new RcptFacts(_facts, argument, _settings.PrimaryDomain);
        var transaction = _facts.Transaction;
        var verdict = await _pipelines.Rcpt.RunAsync(facts, transaction?.FindingSink);
        if (transaction is not null) _transaction.Recipient(argument.LogForm, verdict);
        if (verdict.IsAccept || verdict.Kind == VerdictKind.Discard)
        {
            transaction!.AddRecipient(facts.Recipient!);
            if (verdict.Kind == VerdictKind.Discard) transaction.Discarded = verdict;
            _live.Phase(SmtpPhase.Rcpt);
            _live.Transaction(transaction.Sender, transaction.Recipients.Count);
            sender.Tell(new SessionReply(verdict.Reply));
            return;
        }
        LogFailure(verdict);
        sender.Tell(Refusal(verdict));
    }

    /// <summary>Logs the transaction's line (when it got as far as a sender or a recipient) and
    /// forgets it: RSET, a new HELO, STARTTLS, the end of DATA or of the connection.</summary>
    private void EndTransaction(string finalVerdict, SmtpReply? reply, string? check = null)
    {
        if (!_transaction.IsEmpty)
            _log.Info(_transaction.Format(_connection, _facts.Helo, check is null ? finalVerdict : $"{finalVerdict}({check})", reply));
        _transaction.Clear();
        if (_facts.Transaction is not null)
        {
            _live.Phase(_facts.Helo is null ? SmtpPhase.Connect : SmtpPhase.Helo);
            _live.Transaction(null, 0);
        }
        _facts.Transaction = null;
    }
}
