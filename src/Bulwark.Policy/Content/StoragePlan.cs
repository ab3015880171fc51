using Bulwark.Policy.Dmarc;

namespace Bulwark.Policy.Content;

/// <summary>One copy to spool: its recipients and the fields to put above the message.</summary>
public sealed record SpooledCopy(IReadOnlyList<string> Recipients, IReadOnlyList<(string Name, string Value)> Headers);

/// <summary>
/// Where an accepted message goes, from what the content scan and DMARC decided per recipient:
/// a recipient is quarantined when either says so, and otherwise gets a copy with the scanner's
/// fields and, when DMARC asked for a mark instead of the quarantine, the DMARC mark. One copy is
/// spooled per distinct set of fields.
/// </summary>
/// <param name="Report">The scan report for the quarantine entry; null when nothing was scanned.</param>
public sealed record StoragePlan(IReadOnlyList<SpooledCopy> Copies, IReadOnlyList<string> Quarantine, string QuarantineReason, ScanReport? Report)
{
    /// <summary>The plan, or null when neither the scan nor DMARC has anything to say: the
    /// received entry is committed as it is.</summary>
    public static StoragePlan? For(IReadOnlyList<string> recipients, ContentDisposition? content, DmarcFinding? dmarc)
    {
        var dmarcQuarantine = dmarc?.Quarantine ?? [];
        var dmarcMarked = dmarc?.DeliverMarked ?? [];
        if (content is null && dmarcQuarantine.Count == 0 && dmarcMarked.Count == 0) return null;

        var quarantined = recipients.Where(r => (content?.Quarantine.Contains(r) ?? false) || dmarcQuarantine.Contains(r)).ToList();
        var reasons = new List<string>(2);
        if (content is { Quarantine.Count: > 0 }) reasons.Add(content.QuarantineReason);
        if (dmarcQuarantine.Count > 0) reasons.Add("DMARC: " + dmarc!.Result.Reason);

        var copies = recipients.Except(quarantined)
            .GroupBy(r => (Spam: content?.DeliverMarked.Contains(r) ?? false, Dmarc: dmarcMarked.Contains(r)))
            .Select(group => new SpooledCopy(group.ToList(), Headers(content, group.Key.Spam, group.Key.Dmarc ? dmarc : null)))
            .ToList();
        return new StoragePlan(copies, quarantined, string.Join("; ", reasons), content?.Report);
    }

    private static IReadOnlyList<(string, string)> Headers(ContentDisposition? content, bool spamMarked, DmarcFinding? mark)
    {
        var headers = new List<(string, string)>(content?.Headers(spamMarked) ?? []);
        if (mark is not null) headers.Add((DmarcFinding.MarkField, mark.MarkValue));
        return headers;
    }
}
