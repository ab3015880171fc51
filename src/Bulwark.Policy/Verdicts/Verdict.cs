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

    public bool IsAccept => Kind is VerdictKind.Accept or VerdictKind.Continue;
}
