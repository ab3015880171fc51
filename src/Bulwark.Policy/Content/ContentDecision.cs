using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Content;

/// <summary>
/// The content verdict at the end of DATA, a pure function of the scanners' report, the accepted
/// recipients and the policy. Order: a virus refuses outright; a missing virus verdict is a 451
/// (never fail open: a retry costs little, a delivered virus cannot be taken back); a missing spam
/// verdict is a 451 unless the policy fails open; then each recipient's thresholds.
/// </summary>
public static class ContentDecision
{
    public static ContentDisposition Decide(ScanReport report, IReadOnlyList<string> recipients, ContentPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(recipients);
        ArgumentNullException.ThrowIfNull(policy);
        if (recipients.Count == 0)
            throw new ArgumentException("content is only scanned for mail with at least one accepted recipient", nameof(recipients));

        if (report.Virus.Infected)
            return Refused(report, Verdict.Refuse(ContentReplies.VirusFound(report.Virus.Signature), ContentReplies.VirusCheck, Evidence.Virus));
        // Checked before the spam result on purpose: even a message every recipient would refuse as
        // spam gets a 451 here; its retry may then show a virus, which is the stronger evidence.
        if (report.Virus.Status == ScanStatus.Unavailable)
            return Refused(report, Verdict.Refuse(ContentReplies.ScannerUnavailable, ContentReplies.VirusCheck));

        switch (report.Spam.Status)
        {
            case ScanStatus.Unavailable when !policy.FailOpenSpam:
                return Refused(report, Verdict.Refuse(ContentReplies.ScannerUnavailable, ContentReplies.SpamCheck));
            case ScanStatus.Unavailable:
                return new ContentDisposition(null, recipients.ToList(), [], [], "", report, SpamUnchecked: true);
            case ScanStatus.NotConfigured:
                return new ContentDisposition(null, recipients.ToList(), [], [], "", report);
        }

        var actions = recipients.Select(r => (Recipient: r, Action: policy.ThresholdsFor(r).ActionFor(report.Spam))).ToList();
        // Refused in session only when nobody wants it: one DATA has one reply, and refusing a
        // message some recipient accepts would lose wanted mail. No strike (Evidence.None): a spam
        // score is the unreliable kind of evidence the seed warns about, and the sender is often a
        // big shared MTA relaying one bad message; a virus signature is a certainty and strikes.
        if (actions.All(a => a.Action == SpamAction.Refuse))
            return Refused(report, Verdict.Refuse(ContentReplies.SpamRefused, ContentReplies.SpamCheck));

        var deliver = Pick(actions, SpamAction.Deliver);
        var marked = Pick(actions, SpamAction.Mark);
        var refusing = Pick(actions, SpamAction.Refuse);
        var quarantine = actions.Where(a => a.Action >= SpamAction.Quarantine).Select(a => a.Recipient).ToList();
        var reason = quarantine.Count == 0 ? "" : Reason(report.Spam, quarantine.Count - refusing.Count, refusing.Count);
        return new ContentDisposition(null, deliver, marked, quarantine, reason, report);
    }

    private static ContentDisposition Refused(ScanReport report, Verdict verdict) =>
        new(verdict, [], [], [], "", report);

    private static List<string> Pick(List<(string Recipient, SpamAction Action)> actions, SpamAction action) =>
        actions.Where(a => a.Action == action).Select(a => a.Recipient).ToList();

    private static string Reason(SpamScan spam, int quarantined, int refusing)
    {
        var text = $"spam: score {SpamHeaders.Format(spam.Score)}";
        var action = SpamHeaders.SafeToken(spam.Action, 40);
        if (action.Length > 0) text += $" (rspamd action {action})";
        if (quarantined > 0) text += $"; quarantine policy of {quarantined} recipient(s)";
        if (refusing > 0) text += $"; refuse policy of {refusing} recipient(s), quarantined because other recipients accept it";
        return text;
    }
}
