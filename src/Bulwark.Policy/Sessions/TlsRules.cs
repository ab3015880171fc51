using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Sessions;

/// <summary>
/// STARTTLS (RFC 3207) and the operator's "require TLS" list, decided from the session's state
/// alone. The handshake itself and the reset after it belong to the listener.
/// </summary>
public static class TlsRules
{
    /// <summary>The verdict on a STARTTLS command. Accept means: answer 220 and start the
    /// handshake, reading nothing more in plain text.</summary>
    /// <param name="configured">A certificate is loaded (STARTTLS is offered at all).</param>
    /// <param name="underTls">The session already went through STARTTLS.</param>
    public static Verdict StartTls(bool configured, bool underTls, bool inTransaction, string argument)
    {
        if (!configured) return Verdict.Refuse(Replies.NotImplemented, "starttls.off");
        // RFC 3207 section 4: "STARTTLS" with no parameters; anything else is a 501.
        if (argument.Length > 0) return Verdict.Refuse(Replies.StartTlsSyntax, "starttls.syntax");
        if (underTls) return Verdict.Refuse(Replies.TlsAlreadyActive, "starttls.sequence");
        // The reset after the handshake would silently drop the open transaction; say so instead.
        if (inTransaction) return Verdict.Refuse(Replies.StartTlsInTransaction, "starttls.sequence");
        return Verdict.Accept(Replies.ReadyToStartTls, "starttls");
    }

    /// <summary>Whether EHLO lists STARTTLS: only when it can be used now.</summary>
    public static bool Advertise(bool configured, bool underTls) => configured && !underTls;

    /// <summary>The entry of <paramref name="requiredDomains"/> that covers
    /// <paramref name="senderDomain"/> (the domain itself or a parent of it), or null.</summary>
    public static string? RequiringDomain(string senderDomain, IReadOnlySet<string> requiredDomains)
    {
        if (requiredDomains.Count == 0 || senderDomain.Length == 0) return null;
        var domain = senderDomain.TrimEnd('.').ToLowerInvariant();
        while (true)
        {
            if (requiredDomains.Contains(domain)) return domain;
            var dot = domain.IndexOf('.');
            if (dot < 0) return null;
            domain = domain[(dot + 1)..];
        }
    }

    /// <summary>MAIL FROM over plain text from a domain on the require-TLS list is refused with
    /// 530; no evidence against the client, which may simply not have tried STARTTLS yet. The null
    /// sender has no domain and is never held to it.</summary>
    public static Verdict RequireTls(bool underTls, string senderDomain, IReadOnlySet<string> requiredDomains)
    {
        if (underTls) return Verdict.Continue("mail.require-tls");
        return RequiringDomain(senderDomain, requiredDomains) is { } listed
            ? Verdict.Refuse(Replies.TlsRequired(listed), "mail.require-tls")
            : Verdict.Continue("mail.require-tls");
    }
}
