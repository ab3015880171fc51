using Akka.Event;
using Bulwark.Content.Quarantine;
using Bulwark.Delivery.Spool;
using Bulwark.Policy.Content;
using Envelope = Bulwark.Delivery.Spool.Envelope;

namespace Bulwark.Listener.Sessions;

/// <summary>
/// Where an accepted message goes. Unscanned and untouched by DMARC, the received entry itself is committed.
/// Otherwise each recipient's disposition (<see cref="StoragePlan"/>) decides: the copies some recipients must not get go to the
/// quarantine, and one copy per header variant (plain and marked) is spooled. Nothing is ever
/// bounced.
/// </summary>
public sealed partial class SessionActor
{
    /// <summary>Where an accepted message went: the spool entries committed and the quarantine id.</summary>
    private sealed record Stored(IReadOnlyList<Envelope> Spooled, string? QuarantineId);

    /// <summary>Everything is durable before the caller answers 250.</summary>
    private async Task<Stored> StorePlannedAsync(ISpoolEntry entry, Envelope envelope, StoragePlan plan)
    {
        string? quarantineId = null;
        if (plan.Quarantine.Count > 0)
        {
            if (_deps.Quarantine is null) throw new InvalidOperationException("no quarantine store configured");
            // The quarantined copy is the message as it would have been delivered.
            await using var copy = MessageBody.WithFields(envelope.HeaderFields, entry.OpenWritten());
            quarantineId = await _deps.Quarantine.AddAsync(copy,
                QuarantineEntry.For(envelope, plan.Quarantine, plan.QuarantineReason, plan.Report));
            _log.Info("quarantined {0} for [{1}] as {2}: {3}", entry.QueueId, string.Join(", ", plan.Quarantine),
                quarantineId, plan.QuarantineReason);
        }
        var spooled = new List<Envelope>(plan.Copies.Count);
        foreach (var copy in plan.Copies)
            spooled.Add(await SpoolCopyAsync(entry, envelope with { Recipients = copy.Recipients }, copy.Headers));
        return new Stored(spooled, quarantineId);
    }

    /// <summary>A new spool entry holding the scanner's header fields above the received message.</summary>
    private async Task<Envelope> SpoolCopyAsync(ISpoolEntry original, Envelope envelope, IReadOnlyList<(string Name, string Value)> headers)
    {
        using var copy = _deps.Spool.Create();
        await copy.Body.WriteAsync(TraceFields.Encode(headers.Select(h => TraceFields.Field(h.Name, h.Value))));
        await using (var source = original.OpenWritten())
            await source.CopyToAsync(copy.Body);
        var stored = envelope with { QueueId = copy.QueueId };
        await copy.CommitAsync(stored);
        return stored;
    }

    private static async Task<Stored> CommitAsIs(ISpoolEntry entry, Envelope envelope)
    {
        await entry.CommitAsync(envelope);
        return new Stored([envelope], null);
    }
}
