using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Dns;

/// <summary>The replies of the DNS-authority checks (DESIGN.md, "Replies"), with the enhanced
/// codes of RFC 7372 (5.7.23 to 5.7.27) and RFC 3463 (5.1.8, 4.4.3).</summary>
public static class DnsReplies
{
    public static readonly SmtpReply SpfFail = new(550, "5.7.23", "SPF validation failed: the sender's domain does not authorise this host");
    public static readonly SmtpReply SpfTempError = new(451, "4.7.24", "SPF validation error (temporary DNS failure), try again later");
    public static readonly SmtpReply SpfPermError = new(550, "5.7.24", "SPF validation error: the sender's SPF record is invalid");
    public static readonly SmtpReply SenderDomainUnknown = new(550, "5.1.8", "sender domain does not exist");
    public static readonly SmtpReply SenderNoMailRoute = new(550, "5.1.8", "sender domain has no MX or address records");
    public static readonly SmtpReply NullMxSender = new(550, "5.7.27", "sender domain publishes a null MX and does not accept mail");
    public static readonly SmtpReply DnsTemporaryFailure = new(451, "4.4.3", "temporary DNS failure, try again later");
    public static readonly SmtpReply ReverseDnsSoft = new(450, "4.7.25", "reverse DNS of your address is missing or does not match");
    public static readonly SmtpReply ReverseDnsHard = new(550, "5.7.25", "reverse DNS of your address is missing or does not match");
}
