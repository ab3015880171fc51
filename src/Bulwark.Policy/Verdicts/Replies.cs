namespace Bulwark.Policy.Verdicts;

/// <summary>
/// The reply table of the design (DESIGN.md, "Replies"). Every refusal Bulwark sends is one of
/// these, so the mapping from situation to code lives in one place and is tested once.
/// </summary>
public static class Replies
{
    public static readonly SmtpReply Ok = new(250, "2.0.0", "OK");
    public static readonly SmtpReply SenderOk = new(250, "2.1.0", "sender OK");
    public static readonly SmtpReply RecipientOk = new(250, "2.1.5", "recipient OK");
    public static readonly SmtpReply ResetOk = new(250, "2.0.0", "reset");
    public static readonly SmtpReply NoopOk = new(250, "2.0.0", "OK");
    public static readonly SmtpReply StartData = new(354, "", "end data with <CR><LF>.<CR><LF>");
    public static readonly SmtpReply Bye = new(221, "2.0.0", "bye");
    public static SmtpReply Queued(string queueId) => new(250, "2.0.0", $"queued as {queueId}");
    public static readonly SmtpReply CannotVerify = new(252, "2.5.2", "cannot verify, send some mail and we will see");
    public static readonly SmtpReply Help = new(214, "2.0.0", "see RFC 5321");

    // The greeting and the HELO/EHLO answers carry no enhanced code (RFC 2034 section 3).
    public static SmtpReply Greeting(string hostname) => new(220, "", $"{hostname} ESMTP Bulwark");
    public static SmtpReply HeloOk(string hostname) => new(250, "", hostname);

    /// <summary>The lines of the multi-line EHLO answer (code 250, like <see cref="HeloOk"/>): the
    /// greeting line, then one line per extension keyword.</summary>
    public static IReadOnlyList<string> EhloLines(string hostname, string client, IEnumerable<string> keywords) =>
        [$"{hostname} greets {client}", .. keywords];

    public static readonly SmtpReply Blocked = new(421, "4.7.0", "too much abuse from your address, try again later");
    public static readonly SmtpReply TooManyConnections = new(421, "4.7.0", "too many connections from your address");
    public static readonly SmtpReply ShuttingDown = new(421, "4.3.2", "service shutting down, try again later");
    public static readonly SmtpReply CommandTimeout = new(421, "4.4.2", "timeout, closing connection");
    public static readonly SmtpReply TooManyErrors = new(421, "4.7.0", "too many errors, closing connection");
    public static readonly SmtpReply NodeBusy = new(421, "4.3.2", "too many connections, try again later");
    /// <summary>The farm could not count the connection (IpReputation did not answer): come back later.</summary>
    public static readonly SmtpReply ConnectDeferred = new(421, "4.3.0", "temporary failure, try again later");

    public static readonly SmtpReply TemporaryFailure = new(451, "4.3.0", "temporary failure, try again later");
    public static readonly SmtpReply StorageFailure = new(451, "4.3.0", "could not store the message, try again later");
    public static readonly SmtpReply TooManyRecipients = new(452, "4.5.3", "too many recipients");

    public static readonly SmtpReply RelayDenied = new(550, "5.7.1", "relaying denied");
    public static readonly SmtpReply RoutingSyntaxDenied = new(550, "5.7.1", "source routes, % and ! paths are not accepted");
    public static readonly SmtpReply UnknownRecipient = new(550, "5.1.1", "no such user here");
    public static readonly SmtpReply MessageTooLarge = new(552, "5.3.4", "message too large");
    public static readonly SmtpReply BareLineEnd = new(550, "5.6.0", "message contains a bare CR or LF; use CRLF line ends");
    public static readonly SmtpReply NulInMessage = new(550, "5.6.0", "message contains a NUL byte");
    public static readonly SmtpReply LineTooLongData = new(550, "5.6.0", "message line longer than 998 characters");

    public static readonly SmtpReply LineTooLong = new(500, "5.5.6", "line too long");
    public static readonly SmtpReply SyntaxError = new(500, "5.5.2", "syntax error, command unrecognised");
    public static readonly SmtpReply ParameterSyntax = new(501, "5.5.4", "syntax error in parameters");
    public static readonly SmtpReply BadSenderSyntax = new(501, "5.1.7", "bad sender address syntax");
    public static readonly SmtpReply SenderTooLong = new(501, "5.1.7", "sender address too long");
    public static readonly SmtpReply HeloSyntax = new(501, "5.5.4", "HELO and EHLO need a domain or address literal");
    public static readonly SmtpReply BadRecipientSyntax = new(501, "5.1.3", "bad recipient address syntax");
    public static readonly SmtpReply NotImplemented = new(502, "5.5.1", "command not implemented");
    public static readonly SmtpReply AuthNotOffered = new(503, "5.5.1", "authentication is not offered here");
    public static readonly SmtpReply BadSequence = new(503, "5.5.1", "bad sequence of commands");
    public static readonly SmtpReply NeedHelo = new(503, "5.5.1", "send HELO or EHLO first");
    public static readonly SmtpReply NeedMail = new(503, "5.5.1", "send MAIL FROM first");
    public static readonly SmtpReply SenderAlreadyGiven = new(503, "5.5.1", "sender already given");
    public static readonly SmtpReply TalkedBeforeGreeting = new(554, "5.5.1", "protocol violation: talked before the greeting");
    public static readonly SmtpReply NoValidRecipients = new(554, "5.5.1", "no valid recipients");
    public static readonly SmtpReply UnknownParameter = new(555, "5.5.4", "unsupported MAIL or RCPT parameter");
    public static readonly SmtpReply ReadyToStartTls = new(220, "2.0.0", "ready to start TLS");
    public static readonly SmtpReply StartTlsSyntax = new(501, "5.5.4", "STARTTLS takes no parameters");
    public static readonly SmtpReply TlsAlreadyActive = new(503, "5.5.1", "TLS already active");
    public static readonly SmtpReply StartTlsInTransaction = new(503, "5.5.1", "finish or reset the mail transaction before STARTTLS");

    /// <summary>RFC 3207's 530 with the RFC 5248 "encryption needed" enhanced code: this sender's
    /// domain asked that its mail only ever reach us encrypted.</summary>
    public static SmtpReply TlsRequired(string domain) => new(530, "5.7.10", $"TLS required for mail from {domain}; issue STARTTLS first");

    public static readonly SmtpReply DeclaredSizeTooLarge = new(552, "5.3.4", "declared message size exceeds the limit");
}
