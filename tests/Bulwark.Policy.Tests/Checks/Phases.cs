using System.Net;
using Bulwark.Policy.Addressing;
using Bulwark.Policy.Checks;
using Bulwark.Policy.Sessions;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Tests.Checks;

/// <summary>Runs the standard pipelines over hand-made session states, as a session would.</summary>
public static class Phases
{
    public static readonly ConnectionInfo Client = new("c1", IPAddress.Parse("192.0.2.7"), "192.0.2.7");

    public static SessionFacts Session(bool hasHelo = true, bool inTransaction = false, int recipients = 0, ISessionAsks? asks = null)
    {
        var session = new SessionFacts(Client, asks ?? new FakeAsks()) { Helo = hasHelo ? "client.test" : null };
        if (inTransaction)
        {
            session.Transaction = new TransactionFacts(PathArgument.ForMail("FROM:<a@remote.test>").Path!);
            for (var i = 0; i < recipients; i++) session.Transaction.AddRecipient(new Mailbox($"r{i}", "example.test"));
        }
        return session;
    }

    public static Verdict Run<T>(PhasePipeline<T> pipeline, T facts)
    {
        var run = pipeline.RunAsync(facts);
        // The pure checks complete at once; an asking one gets its answer from FakeAsks at once too.
        return run.IsCompleted ? run.Result : run.AsTask().GetAwaiter().GetResult();
    }

    public static Verdict Mail(SessionPolicy policy, SessionFacts session, string argument) =>
        Run(SessionPipelines.Standard(policy).Mail, new MailFacts(session, PathArgument.ForMail("FROM:" + argument)));

    public static Verdict Rcpt(SessionPolicy policy, SessionFacts session, string argument, out Mailbox? recipient)
    {
        var facts = new RcptFacts(session, PathArgument.ForRcpt("TO:" + argument), policy.PrimaryDomain);
        var verdict = Run(SessionPipelines.Standard(policy).Rcpt, facts);
        recipient = verdict.Check == Policy.Checks.Rcpt.RecipientExists.CheckName || verdict.IsAccept ? facts.Recipient : null;
        return verdict;
    }

    public static Verdict Message(SessionPolicy policy, SessionFacts session, DataFaults faults) =>
        Run(SessionPipelines.Standard(policy).Message, new MessageFacts(session, new DataOutcome(faults, 100, true), "Q1", () => new MemoryStream()));
}
