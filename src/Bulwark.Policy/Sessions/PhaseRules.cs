using Bulwark.Policy.Addressing;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Sessions;

/// <summary>Outcome of asking the recipient directory, independent of the actor protocol.</summary>
public enum RecipientLookup
{
    Exists,
    Unknown,
    TemporaryFailure,
}

/// <summary>
/// The pure part of each SMTP phase: what can be decided from the session's own state and the
/// command alone. Checks that need an entity run after these, only when they say Continue.
/// </summary>
public static class PhaseRules
{
    /// <summary>A domain or address literal: one word of printable characters. Control bytes are
    /// refused rather than echoed, since the EHLO reply repeats the argument (found by fuzzing:
    /// a bare CR inside a reply line).</summary>
    public static Verdict Helo(string argument) =>
        string.IsNullOrWhiteSpace(argument) || argument.Contains(' ') || argument.Any(char.IsControl)
            ? Verdict.Refuse(new SmtpReply(501, "5.5.4", "HELO and EHLO need a domain or address literal"), "helo.syntax")
            : Verdict.Accept(Replies.Ok, "helo.syntax");

    public static Verdict Mail(bool hasHelo, bool inTransaction, string argument, SessionLimits limits, out ParsedPath? path)
    {
        path = null;
        if (!hasHelo) return Verdict.Refuse(Replies.NeedHelo, "mail.sequence");
        if (inTransaction) return Verdict.Refuse(new SmtpReply(503, "5.5.1", "sender already given"), "mail.sequence");
        if (!PathParser.TryParse(argument, allowNullPath: true, out path, out var problem) || path is null)
            return Verdict.Refuse(problem == PathProblem.TooLong
                ? new SmtpReply(501, "5.1.7", "sender address too long")
                : Replies.BadSenderSyntax, "mail.syntax");
        foreach (var (key, value) in path.Parameters)
        {
            switch (key)
            {
                case "SIZE":
                    // RFC 1870 allows 20 digits; a number past long is certainly over the limit.
                    if (value is { Length: > 0 } digits && digits.All(char.IsAsciiDigit) && !long.TryParse(digits, out _))
                        return Verdict.Refuse(Replies.DeclaredSizeTooLarge, "mail.size");
                    if (!long.TryParse(value, out var size) || size < 0)
                        return Verdict.Refuse(Replies.ParameterSyntax, "mail.size");
                    if (size > limits.MaxMessageBytes)
                        return Verdict.Refuse(Replies.DeclaredSizeTooLarge, "mail.size");
                    break;
                case "BODY":
                    if (value is null || !(value.Equals("7BIT", StringComparison.OrdinalIgnoreCase) || value.Equals("8BITMIME", StringComparison.OrdinalIgnoreCase)))
                        return Verdict.Refuse(Replies.ParameterSyntax, "mail.body");
                    break;
                case "SMTPUTF8":
                    break;
                default:
                    return Verdict.Refuse(Replies.UnknownParameter, "mail.parameters");
            }
        }
        return Verdict.Accept(Replies.SenderOk, "mail.syntax");
    }

    public static Verdict RcptPrecheck(bool hasMail, int acceptedRecipients, SessionLimits limits, string argument,
        IReadOnlySet<string> acceptedDomains, string primaryDomain, out Mailbox? recipient)
    {
        recipient = null;
        if (!hasMail) return Verdict.Refuse(Replies.NeedMail, "rcpt.sequence");
        if (acceptedRecipients >= limits.MaxRecipients) return Verdict.Refuse(Replies.TooManyRecipients, "rcpt.count");
        if (!PathParser.TryParse(argument, allowNullPath: false, out var path, out _) || path is null)
            return Verdict.Refuse(Replies.BadRecipientSyntax, "rcpt.syntax");
        if (path.Parameters.Count > 0) return Verdict.Refuse(Replies.UnknownParameter, "rcpt.parameters");
        var relay = RelayRules.CheckRecipient(path, acceptedDomains);
        if (relay.Kind != VerdictKind.Continue) return relay;
        // RFC 5321 lets "RCPT TO:<Postmaster>" name the postmaster of this server without a domain.
        recipient = (path.IsBarePostmaster ? RelayRules.ResolveBarePostmaster(path, primaryDomain) : path).Mailbox;
        return Verdict.Continue("rcpt.relay");
    }

    public static Verdict RcptFromLookup(RecipientLookup lookup) => lookup switch
    {
        RecipientLookup.Exists => Verdict.Accept(Replies.RecipientOk, "rcpt.directory"),
        RecipientLookup.Unknown => Verdict.Refuse(Replies.UnknownRecipient, "rcpt.directory", Evidence.UnknownRecipient),
        _ => Verdict.Refuse(Replies.TemporaryFailure, "rcpt.directory"),
    };

    public static Verdict Data(bool hasMail, int acceptedRecipients)
    {
        if (!hasMail) return Verdict.Refuse(Replies.NeedMail, "data.sequence");
        if (acceptedRecipients == 0) return Verdict.Refuse(Replies.NoValidRecipients, "data.recipients");
        return Verdict.Accept(Replies.StartData, "data.sequence");
    }

    /// <summary>The verdict on a received body. Size first (the cheapest to explain), then the
    /// line-end faults that smuggling attacks rely on.</summary>
    public static Verdict DataBody(DataFaults faults)
    {
        if (faults.HasFlag(DataFaults.TooLarge)) return Verdict.Refuse(Replies.MessageTooLarge, "data.size");
        if (faults.HasFlag(DataFaults.Nul)) return Verdict.Refuse(Replies.NulInMessage, "data.nul");
        if (faults.HasFlag(DataFaults.BareCarriageReturn) || faults.HasFlag(DataFaults.BareLineFeed))
            return Verdict.Refuse(Replies.BareLineEnd, "data.line-ends");
        if (faults.HasFlag(DataFaults.LineTooLong)) return Verdict.Refuse(Replies.LineTooLongData, "data.line-length");
        return Verdict.Continue("data.body");
    }
}
