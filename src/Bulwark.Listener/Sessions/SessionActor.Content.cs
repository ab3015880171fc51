using System.Text;
using Akka.Event;
using Bulwark.Content.Quarantine;
using Bulwark.Content.Scanners;
using Bulwark.Delivery.Spool;
using Bulwark.Policy.Content;
using Bulwark.Policy.Verdicts;
using Envelope = Bulwark.Delivery.Spool.Envelope;

namespace Bulwark.Listener.Sessions;

/// <summary>
/// The last and least reliable check: content scanning, only for a body that passed every
/// earlier check. A refusal happens in the session (the sending MTA owns it); otherwise each
/// recipient's policy decides, one 250 covers them all, and nothing is ever bounced.
/// </summary>
public sealed partial class SessionActor
{
    /// <summary>Where an accepted message went: the spool entries committed and the quarantine id.</summary>
    private sealed record Stored(IReadOnlyList<Envelope> Spooled, string? QuarantineId);

    private bool ScanningEnabled => _deps.Content is { Enabled: true };

    private async Task<ContentDisposition> ScanAsync(ISpoolEntry entry, Envelope envelope)
    {
        var context = new ScanContext(entry.QueueId, _connection.ClientIp, _helo ?? "", _sender, envelope.Recipients,
            _spf is null ? null : Bulwark.Policy.Dns.AuthenticationResults.SpfName(_spf.Result),
            _iprev is { IsCompletedSuccessfully: true } iprev ? iprev.Result.PtrName : null);
        var report = await _deps.Content!.ScanAsync(entry.OpenWritten, context, CancellationToken.None);
        return ContentDecision.Decide(report, envelope.Recipients, _settings.Content);
    }

    /// <summary>
    /// Quarantines the copies some recipients must not get, then spools one copy per header
    /// variant (plain and marked). Everything is durable before the caller answers 250.
    /// </summary>
    private async Task<Stored> StoreAsync(ISpoolEntry entry, Envelope envelope, ContentDisposition disposition)
    {
        string? quarantineId = null;
        if (disposition.Quarantine.Count > 0)
        {
            if (_deps.Quarantine is null) throw new InvalidOperationException("no quarantine store configured");
            await using var copy = entry.OpenWritten();
            quarantineId = await _deps.Quarantine.AddAsync(copy,
                QuarantineEntry.For(envelope, disposition.Quarantine, disposition.QuarantineReason, disposition.Report));
            _log.Info("quarantined {0} for [{1}] as {2}: {3}", entry.QueueId, string.Join(", ", disposition.Quarantine),
                quarantineId, disposition.QuarantineReason);
        }
        var spooled = new List<Envelope>(2);
        foreach (var (recipients, marked) in new[] { (disposition.Deliver, false), (disposition.DeliverMarked, true) })
        {
            if (recipients.Count == 0) continue;
            spooled.Add(await SpoolCopyAsync(entry, envelope with { Recipients = recipients }, disposition.Headers(marked)));
        }
        return new Stored(spooled, quarantineId);
    }

    /// <summary>A new spool entry holding the scanner's header fields above the received message.</summary>
    private async Task<Envelope> SpoolCopyAsync(ISpoolEntry original, Envelope envelope, IReadOnlyList<(string Name, string Value)> headers)
    {
        using var copy = _deps.Spool.Create();
        var fields = new StringBuilder();
        foreach (var (name, value) in headers) fields.Append(name).Append(": ").Append(value).Append("\r\n");
        var bytes = Encoding.UTF8.GetBytes(fields.ToString());
        await copy.Body.WriteAsync(bytes);
        await using (var source = original.OpenWritten())
            await source.CopyToAsync(copy.Body);
        var stored = envelope with { QueueId = copy.QueueId };
        await copy.CommitAsync(stored);
        return stored;
    }

    /// <summary>Used when no scanner is configured: the received entry itself is committed.</summary>
    private static async Task<Stored> CommitAsIs(ISpoolEntry entry, Envelope envelope)
    {
        await entry.CommitAsync(envelope);
        return new Stored([envelope], null);
    }
}
