using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Dmarc;

/// <summary>
/// The message's RFC 5322.From as DMARC needs it: how many From fields there are and the domains
/// of their mailboxes. DMARC applies to one author domain, so the rules of RFC 7489 section 6.6.1
/// decide here what cannot be evaluated.
/// </summary>
/// <param name="FieldCount">The number of From fields in the header.</param>
/// <param name="Domains">The domains of the mailboxes of the From field, lower case, in order;
/// empty when it could not be read.</param>
/// <param name="Readable">False when the From field does not parse as a mailbox list, or a
/// mailbox has no usable domain.</param>
public sealed record FromHeader(int FieldCount, IReadOnlyList<string> Domains, bool Readable) : IFinding
{
    /// <summary>The one author domain DMARC is evaluated for, or null when there is none.</summary>
    public string? Domain => FieldCount == 1 && Readable && Domains.Count > 0 && Domains.All(d => d == Domains[0]) ? Domains[0] : null;

    /// <summary>The refusal this From field earns, or null when DMARC can be evaluated. Several
    /// authors of different domains cannot be evaluated as one (section 6.6.1 lets a receiver
    /// refuse rather than pick one): refused like an unreadable field.</summary>
    public SmtpReply? Refusal => FieldCount switch
    {
        0 => DmarcReplies.NoFrom,
        > 1 => DmarcReplies.SeveralFrom,
        _ when !Readable || Domains.Count == 0 => DmarcReplies.UnreadableFrom,
        _ when Domain is null => DmarcReplies.SeveralAuthorDomains,
        _ => null,
    };
}
