using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Addressing;

/// <summary>
/// Relay rules for RCPT TO, decided from the path alone before any directory lookup (DESIGN.md rule 5:
/// the cheapest reliable refusal first). Every refusal here is evidence of a relay attempt.
/// </summary>
public static class RelayRules
{
    public const string CheckName = "rcpt.relay";

    /// <summary>
    /// Decides a recipient before any lookup. <paramref name="acceptedDomains"/>: lower-case domain
    /// names this farm accepts mail for. Continue("rcpt.relay") for local@accepted-domain and for the
    /// bare "&lt;Postmaster&gt;" (resolve it with <see cref="ResolveBarePostmaster(ParsedPath, string)"/>
    /// before looking it up). Source routes, '%', '!', a quoted '@' -> 550 5.7.1 (routing syntax);
    /// an address literal or a domain not accepted -> 550 5.7.1 relaying denied; the null path -> 501 5.1.3.
    /// </summary>
    public static Verdict CheckRecipient(ParsedPath path, IReadOnlySet<string> acceptedDomains)
    {
        if (path?.Mailbox is not { } mailbox)
            return Verdict.Refuse(Replies.BadRecipientSyntax, CheckName);

        switch (FindRoutingProblem(path))
        {
            case PathProblem.SourceRoute or PathProblem.QuotedAt or PathProblem.PercentHack or PathProblem.BangPath:
                // All four name a further hop inside an address that looks local: classic open-relay probes.
                return Verdict.Refuse(Replies.RoutingSyntaxDenied, CheckName, Evidence.RelayAttempt);
            case PathProblem.AddressLiteral:
                // We accept mail for names, not for hosts; "user@[ip]" targets a machine, not a farm domain.
                return Verdict.Refuse(Replies.RelayDenied, CheckName, Evidence.RelayAttempt);
        }

        if (path.IsBarePostmaster)
            return Verdict.Continue(CheckName);
        return acceptedDomains is not null && acceptedDomains.Contains(mailbox.Domain)
            ? Verdict.Continue(CheckName)
            : Verdict.Refuse(Replies.RelayDenied, CheckName, Evidence.RelayAttempt);
    }

    /// <summary>
    /// The first routing feature of a path, in the order source route, quoted '@', '%', '!', address
    /// literal; <see cref="PathProblem.None"/> for a plain mailbox or the null path. The local part is
    /// inspected unquoted, so "a%b"@us counts as a percent hack just like a%b@us.
    /// </summary>
    public static PathProblem FindRoutingProblem(ParsedPath path)
    {
        if (path is null) return PathProblem.Syntax;
        if (path.HadSourceRoute) return PathProblem.SourceRoute;
        if (path.Mailbox is not { } m) return PathProblem.None;
        var local = m.LocalPart.AsSpan();
        if (path.LocalPartWasQuoted && local.Contains('@')) return PathProblem.QuotedAt;
        if (local.Contains('%')) return PathProblem.PercentHack;
        if (local.Contains('!')) return PathProblem.BangPath;
        if (m.Domain.StartsWith('[')) return PathProblem.AddressLiteral;
        return PathProblem.None;
    }

    /// <summary>
    /// RFC 5321 4.1.1.3: "RCPT TO:&lt;Postmaster&gt;" without a domain must be accepted. Returns the
    /// path with its mailbox mapped to postmaster@<paramref name="primaryDomain"/> (lower-cased), or the
    /// path unchanged when it is not a bare postmaster.
    /// </summary>
    public static ParsedPath ResolveBarePostmaster(ParsedPath path, string primaryDomain)
    {
        if (path is not { IsBarePostmaster: true } || string.IsNullOrEmpty(primaryDomain)) return path!;
        return path with { Mailbox = new Mailbox("postmaster", primaryDomain.ToLowerInvariant()) };
    }

    /// <summary>
    /// As <see cref="ResolveBarePostmaster(ParsedPath, string)"/>, with the first domain of
    /// <paramref name="acceptedDomainsInOrder"/> (pass an ordered list: a set has no "first").
    /// </summary>
    public static ParsedPath ResolveBarePostmaster(ParsedPath path, IEnumerable<string> acceptedDomainsInOrder) =>
        ResolveBarePostmaster(path, acceptedDomainsInOrder?.FirstOrDefault() ?? "");

    /// <summary>
    /// Normalised key for recipient lookups and counting: the wire address with the local part
    /// lower-cased. RFC 5321 lets the local part be case-sensitive, but nearly every mail store treats
    /// it case-insensitively, and treating User@ and user@ as two recipients would let a sender dodge
    /// per-recipient limits and caches. The re-quoted form keeps the key unambiguous.
    /// </summary>
    public static string RecipientKey(Mailbox mailbox) => mailbox.Address.ToLowerInvariant();
}
