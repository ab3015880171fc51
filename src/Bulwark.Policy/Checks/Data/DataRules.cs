using Bulwark.Policy.Verdicts;
using Bulwark.Policy.Checks;

namespace Bulwark.Policy.Checks.Data;

/// <summary>The checks of the DATA command, before a byte of the body is read.</summary>
public static class DataRules
{
    /// <summary>data.sequence: DATA needs an accepted MAIL (503 5.5.1).</summary>
    public static readonly Rule<SessionFacts> Sequence =
        new RefuseWhen<SessionFacts>("data.sequence", Replies.NeedMail, f => f.Transaction is null);

    /// <summary>data.recipients: DATA needs at least one accepted recipient (554 5.5.1): a body
    /// nobody will get is not downloaded.</summary>
    public static readonly Rule<SessionFacts> Recipients =
        new RefuseWhen<SessionFacts>("data.recipients", Replies.NoValidRecipients, f => f.Transaction is not { Recipients.Count: > 0 });
}
