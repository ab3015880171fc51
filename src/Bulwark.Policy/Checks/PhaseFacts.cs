using Bulwark.Policy.Addressing;
using Bulwark.Policy.Sessions;

namespace Bulwark.Policy.Checks;

/// <summary>HELO or EHLO with its argument.</summary>
public sealed record HeloFacts(SessionFacts Session, string Argument) : IPhaseFacts;

/// <summary>MAIL FROM: with its argument, parsed once.</summary>
public sealed record MailFacts(SessionFacts Session, PathArgument Argument) : IPhaseFacts;

/// <summary>RCPT TO: with its argument, parsed once.</summary>
/// <param name="PrimaryDomain">Whose postmaster a bare "&lt;Postmaster&gt;" is (RFC 5321 4.1.1.3).</param>
public sealed record RcptFacts(SessionFacts Session, PathArgument Argument, string PrimaryDomain) : IPhaseFacts
{
    /// <summary>The recipient to look up: the path's mailbox, with a bare postmaster resolved.</summary>
    public Mailbox? Recipient => Argument.Path is { } path
        ? (path.IsBarePostmaster ? RelayRules.ResolveBarePostmaster(path, PrimaryDomain) : path).Mailbox
        : null;
}

/// <summary>The end of DATA: the received body's faults and size, and the stored message.</summary>
/// <param name="QueueId">The spool entry holding the message.</param>
/// <param name="OpenMessage">Opens the stored message (our trace fields first) for reading.</param>
public sealed record MessageFacts(SessionFacts Session, DataOutcome Body, string QueueId, Func<Stream> OpenMessage) : IPhaseFacts
{
    public TransactionFacts Transaction => Session.Transaction
        ?? throw new InvalidOperationException("the end of DATA without a transaction");
}
