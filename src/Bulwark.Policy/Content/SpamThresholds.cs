namespace Bulwark.Policy.Content;

/// <summary>
/// Score thresholds of one recipient (or domain, or the default). A threshold is reached when
/// score &gt;= it; null means never. The harshest reached action wins.
/// <para>Defaults: Mark at 6 and Refuse at 15 are rspamd's own "add header" and "reject" defaults,
/// so out of the box Bulwark flags and refuses exactly where a stock rspamd would. Quarantine at 10
/// replaces rspamd's "rewrite subject" at 8: Bulwark never rewrites a subject (it changes what the
/// sender wrote), and between 6 and 10 a flag is enough; from 10 the mail is very likely spam but
/// not certain enough to refuse, so it is kept where an operator can release it rather than lost.</para>
/// </summary>
public sealed record SpamThresholds(double? MarkAt = 6, double? QuarantineAt = 10, double? RefuseAt = 15,
    bool UseScannerAction = false)
{
    public static readonly SpamThresholds Default = new();

    /// <summary>Never marks, quarantines or refuses (a recipient that wants everything).</summary>
    public static readonly SpamThresholds Never = new(null, null, null);

    /// <summary>The action for this scan. With <see cref="UseScannerAction"/> rspamd's own action
    /// decides and the thresholds are not used (see <see cref="FromScannerAction"/>).</summary>
    public SpamAction ActionFor(SpamScan scan)
    {
        if (UseScannerAction) return FromScannerAction(scan.Action);
        // rspamd's own "reject" can come with a low score (a pre-result such as GTUBE, or an
        // operator's forced action): it is honoured for every recipient that refuses at all.
        if (RefuseAt is not null && FromScannerAction(scan.Action) == SpamAction.Refuse) return SpamAction.Refuse;
        if (Reached(RefuseAt, scan.Score)) return SpamAction.Refuse;
        if (Reached(QuarantineAt, scan.Score)) return SpamAction.Quarantine;
        if (Reached(MarkAt, scan.Score)) return SpamAction.Mark;
        return SpamAction.Deliver;
    }

    /// <summary>
    /// rspamd's action names mapped onto ours. "reject" refuses; "add header" and "rewrite subject"
    /// mark (we never rewrite the subject, the flag header says the same). "soft reject" and
    /// "greylist" deliver: they ask for a temporary failure, which only one recipient's policy
    /// cannot give for a message addressed to several, and Bulwark's only 4xx for content is
    /// "scanner unavailable"; greylisting is not part of this design (it delays wanted mail and
    /// the reliable checks already ran). Unknown or "no action": deliver.
    /// </summary>
    public static SpamAction FromScannerAction(string? action) => action?.Trim().ToLowerInvariant() switch
    {
        "reject" => SpamAction.Refuse,
        "add header" or "add_header" or "rewrite subject" or "rewrite_subject" => SpamAction.Mark,
        _ => SpamAction.Deliver,
    };

    private static bool Reached(double? threshold, double score) => threshold is { } t && score >= t;
}
