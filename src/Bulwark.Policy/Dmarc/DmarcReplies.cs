using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Dmarc;

/// <summary>
/// The replies of the DMARC checks. A p=reject failure is 550 5.7.26 ("multiple authentication
/// checks failed", RFC 7372 section 3.2). A temporary DNS failure is 451 4.4.3 (RFC 3463: a
/// directory server failure), as for the MAIL phase's DNS checks: X.7.5 would claim a
/// cryptographic failure, which a timed-out lookup is not. A From field DMARC cannot evaluate is
/// 550 5.7.1 (RFC 7489 section 6.6.1: such mail is refused, not guessed at).
/// </summary>
public static class DmarcReplies
{
    public static SmtpReply Reject(string reason) => new(550, "5.7.26", $"DMARC: {reason}");

    public static SmtpReply TempError(string fromDomain) =>
        new(451, "4.4.3", $"DMARC policy of {fromDomain} could not be evaluated (temporary DNS failure), try again later");

    public static readonly SmtpReply NoFrom = new(550, "5.7.1", "message has no From header field (RFC 5322 3.6.2)");
    public static readonly SmtpReply SeveralFrom = new(550, "5.7.1", "message has more than one From header field (RFC 5322 3.6)");
    public static readonly SmtpReply UnreadableFrom = new(550, "5.7.1", "the From header field has no readable address (RFC 5322 3.6.2)");
    public static readonly SmtpReply SeveralAuthorDomains = new(550, "5.7.1",
        "the From header field names authors in several domains; DMARC cannot be evaluated (RFC 7489 6.6.1)");
}
