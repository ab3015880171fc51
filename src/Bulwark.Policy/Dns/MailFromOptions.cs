namespace Bulwark.Policy.Dns;

/// <summary>Options of the MAIL FROM DNS checks.</summary>
public sealed record MailFromOptions
{
    /// <summary>Accept mail whose sender has a broken SPF record (permerror) instead of 550 5.7.24.
    /// Default false: RFC 7208 8.7 lets the receiver reject, and a broken record is the domain
    /// owner's to fix; operators who see too many broken records of real partners turn this on.</summary>
    public bool AcceptPermError { get; init; }

    /// <summary>Refuse (550 5.1.8) a sender domain that exists but has neither MX nor A/AAAA, so
    /// that no reply could ever reach it. Default true (as Postfix's reject_unknown_sender_domain).</summary>
    public bool RejectNoMailRoute { get; init; } = true;

    public static readonly MailFromOptions Default = new();
}
