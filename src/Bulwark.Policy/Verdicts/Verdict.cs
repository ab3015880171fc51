namespace Bulwark.Policy.Verdicts;

/// <summary>What a check concluded. The first verdict other than Continue wins.</summary>
public enum VerdictKind
{
    /// <summary>No objection from this check; ask the next one.</summary>
    Continue,
    /// <summary>Accepted (2xx/3xx).</summary>
    Accept,
    /// <summary>Refused for good (5xx).</summary>
    Deny,
    /// <summary>Refused for now (4xx).</summary>
    DenySoft,
    /// <summary>Refused, and the connection is closed after the reply.</summary>
    DenyDisconnect,
    /// <summary>Answered as if accepted (2xx), and the transaction's message is dropped at the end
    /// of DATA instead of stored: for mail proven unauthorised, where a refusal would only teach
    /// the sender to try elsewhere. No check of today's pipelines gives it.</summary>
    Discard,
}

/// <summary>Kinds of evidence a refusal can add to the client IP's record.</summary>
public enum Evidence
{
    None,
    UnknownRecipient,
    RelayAttempt,
    ProtocolAbuse,
    SpfFail,
    NullMxSender,
    Virus,
    EarlyTalker,
    /// <summary>The From domain's owner asked for mail like this to be refused (DMARC p=reject).</summary>
    DmarcReject,
}

/// <summary>
/// A decision of one check in one SMTP phase, with the reply to send, the name of the check
/// that made it (for logs, e.g. "rcpt.directory") and the evidence it adds for IpReputation.
/// </summary>
public sealed record Verdict(VerdictKind Kind, SmtpReply Reply, string Check, Evidence Evidence = Evidence.None)
{
    public static Verdict Continue(string check) => new(VerdictKind.Continue, Replies.Ok, check);
    public static Verdict Accept(SmtpReply reply, string check) => new(VerdictKind.Accept, reply, check);

    public static Verdict Refuse(SmtpReply reply, string check, Evidence evidence = Evidence.None) =>
        new(reply.IsTransient ? VerdictKind.DenySoft : VerdictKind.Deny, reply, check, evidence);

    public static Verdict Disconnect(SmtpReply reply, string check, Evidence evidence = Evidence.None) =>
        new(VerdictKind.DenyDisconnect, reply, check, evidence);

    public static Verdict Discard(SmtpReply reply, string check) => new(VerdictKind.Discard, reply, check);

    /// <summary>Accept or Continue: the command goes through. (Discard answers positively too, but
    /// callers must handle it on purpose, so it is not counted here.)</summary>
    public bool IsAccept => Kind is VerdictKind.Accept or VerdictKind.Continue;

    /// <summary>A short word for logs and metrics when the reply alone does not say it, such as
    /// "blocked" or "busy" for a refused connection.</summary>
    public string? Reason { get; init; }

    /// <summary>Set when the check could not decide because something it asks failed (a timeout,
    /// an entity or scanner down): the session logs it as a warning. The verdict is then always
    /// temporary (4xx): an infrastructure failure is never a refusal for good nor an accept.</summary>
    public string? Failure { get; init; }

    /// <summary>What the check learnt, for later checks and for the header fields of an accepted
    /// message (an SPF result, the client's reverse DNS, the content scan).</summary>
    public IFinding? Finding { get; init; }

    /// <summary>False for refusals that are not the client's fault as far as abuse goes (a sender
    /// that must use TLS first): they count neither toward the session's error limit nor as evidence.</summary>
    public bool CountsAsError { get; init; } = true;
}

/// <summary>Something a check found out, kept with the transaction (or the session) for the
/// checks after it and for the fields added to the message. Implemented by small records.</summary>
public interface IFinding;
