using Bulwark.Policy.Sessions;
using Bulwark.Policy.Verdicts;
using Bulwark.Policy.Checks;

namespace Bulwark.Policy.Checks.Rcpt;

/// <summary>The one-condition checks of RCPT, in the order the pipeline runs them.</summary>
public static class RcptRules
{
    /// <summary>rcpt.syntax: "RCPT" must be followed by "TO:" (501 5.5.4), checked first.</summary>
    public static readonly Rule<RcptFacts> Keyword =
        new RefuseWhen<RcptFacts>("rcpt.syntax", Replies.ParameterSyntax, f => f.Argument.KeywordMissing);

    /// <summary>rcpt.sequence: RCPT needs an accepted MAIL (503 5.5.1).</summary>
    public static readonly Rule<RcptFacts> Sequence =
        new RefuseWhen<RcptFacts>("rcpt.sequence", Replies.NeedMail, f => f.Session.Transaction is null);

    /// <summary>rcpt.count: at most <see cref="SessionLimits.MaxRecipients"/> accepted recipients
    /// per transaction; the next gets 452 4.5.3 and the client sends it in another transaction.</summary>
    public static Rule<RcptFacts> Count(SessionLimits limits) =>
        new RefuseWhen<RcptFacts>("rcpt.count", Replies.TooManyRecipients, f => (f.Session.Transaction?.Recipients.Count ?? 0) >= limits.MaxRecipients);

    /// <summary>rcpt.syntax: the forward-path must parse (501 5.1.3).</summary>
    public static readonly Rule<RcptFacts> Syntax =
        new RefuseWhen<RcptFacts>("rcpt.syntax", Replies.BadRecipientSyntax, f => f.Argument.Path is null);

    /// <summary>rcpt.parameters: RCPT takes no ESMTP parameters here (no DSN extension: nothing
    /// is ever bounced), so any is 555 5.5.4.</summary>
    public static readonly Rule<RcptFacts> Parameters =
        new RefuseWhen<RcptFacts>("rcpt.parameters", Replies.UnknownParameter, f => f.Argument.Path is { Parameters.Count: > 0 });
}
