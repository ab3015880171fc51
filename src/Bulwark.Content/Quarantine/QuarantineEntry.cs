using Bulwark.Delivery.Spool;
using Bulwark.Policy.Content;

namespace Bulwark.Content.Quarantine;

/// <summary>
/// Metadata of one quarantined message, stored as JSON beside it. <see cref="Recipients"/> are only
/// the recipients it was quarantined for (the others already got it): a release delivers to them.
/// <see cref="Id"/> and <see cref="QuarantinedAt"/> are set by the store when it is added.
/// </summary>
public sealed record QuarantineEntry(
    string Id,
    string Reason,
    IReadOnlyList<string> Recipients,
    string Sender,
    string ClientIp,
    string Helo,
    string QueueId,
    DateTimeOffset ReceivedAt,
    double? Score = null,
    double? RequiredScore = null,
    IReadOnlyList<string>? Symbols = null,
    string? VirusSignature = null,
    DateTimeOffset QuarantinedAt = default)
{
    /// <summary>Metadata for a message of this envelope, quarantined for <paramref name="recipients"/>
    /// (typically <see cref="ContentDisposition.Quarantine"/>), with the scanners' findings.</summary>
    public static QuarantineEntry For(Envelope envelope, IReadOnlyList<string> recipients, string reason, ScanReport? report = null)
    {
        var spam = report?.Spam is { Status: ScanStatus.Done } s ? s : null;
        return new QuarantineEntry("", reason, recipients.ToList(), envelope.Sender, envelope.ClientIp, envelope.Helo,
            envelope.QueueId, envelope.ReceivedAt, spam?.Score, spam?.RequiredScore, spam?.Symbols?.ToList(),
            report?.Virus.Infected == true ? report.Virus.Signature : null);
    }
}
