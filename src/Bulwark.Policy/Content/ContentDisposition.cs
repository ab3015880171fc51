using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Content;

/// <summary>
/// What the end of DATA does with a scanned message. Either <see cref="Refusal"/> is set (the whole
/// message is refused in session, nothing is stored) or it is null and the message gets one 250:
/// <see cref="Deliver"/> recipients get it as is, <see cref="DeliverMarked"/> ones with the spam
/// flag, <see cref="Quarantine"/> ones never see it (it is kept in the quarantine; no bounce, ever).
/// Recipient lists keep the order of the envelope.
/// </summary>
public sealed record ContentDisposition(
    Verdict? Refusal,
    IReadOnlyList<string> Deliver,
    IReadOnlyList<string> DeliverMarked,
    IReadOnlyList<string> Quarantine,
    string QuarantineReason,
    ScanReport Report,
    bool SpamUnchecked = false) : IFinding
{
    public bool Accepted => Refusal is null;

    /// <summary>The headers to prepend to the copy for <see cref="Deliver"/> (marked: false) or
    /// <see cref="DeliverMarked"/> (marked: true) recipients. Values are safe: only characters we
    /// chose, and the only CRLFs are the folds we inserted (each followed by a tab).</summary>
    public IReadOnlyList<(string Name, string Value)> Headers(bool marked) =>
        SpamHeaders.For(Report, marked, SpamUnchecked);
}
