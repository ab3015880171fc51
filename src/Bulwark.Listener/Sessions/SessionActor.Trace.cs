using System.Text;
using Bulwark.Listener.Protocol;
using Bulwark.Policy.Checks;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Arc;
using Bulwark.Policy.Dkim;
using Bulwark.Policy.Dmarc;
using Bulwark.Policy.Spf;
using MimeKit;

namespace Bulwark.Listener.Sessions;

/// <summary>The fields this farm puts at the top of an accepted message (<see cref="TraceFields"/>):
/// Authentication-Results from the transaction's findings, then Received; and the filter that removes incoming
/// Authentication-Results fields claiming to be ours.</summary>
public sealed partial class SessionActor
{
    /// <summary>The Received field, written at the top of the stored body before DATA is read.</summary>
    private byte[] TraceHeader(string queueId, TransactionFacts transaction)
    {
        var recipients = transaction.Recipients;
        return TraceFields.Received(Sanitise(_facts.Helo ?? "unknown"), _connection.ClientIp, TlsDescription(), _settings.Hostname,
            queueId, recipients.Count == 1 ? recipients[0].Address : null, DateTimeOffset.UtcNow);
    }

    /// <summary>The fields that go above the stored message when it is delivered: what the checks
    /// found, known only once the whole message was read (DKIM), so kept with the envelope
    /// rather than written into the body.</summary>
    private string? DeliveryFields(TransactionFacts transaction) =>
        AuthenticationResultsField(transaction) is { } results ? Encoding.UTF8.GetString(TraceFields.Encode([results])) : null;

    // HELO text is the client's: keep it from breaking the header.
    private static string Sanitise(string value)
    {
        var clean = new StringBuilder(value.Length);
        foreach (var c in value)
            clean.Append(char.IsControl(c) || c is '(' or ')' ? '?' : c);
        return clean.ToString();
    }

    /// <summary>The Authentication-Results field for the next hop, or null when the DNS checks do
    /// not apply to this client (trusted networks, DNS off).</summary>
    private Header? AuthenticationResultsField(TransactionFacts transaction)
    {
        if (!_settings.Dns.AppliesTo(_connection.ClientIp)) return null;
        var iprev = transaction.Find<IprevAnswer>();
        var results = TraceFields.AuthenticationResults(_settings.Hostname, transaction.Find<SpfResult>()?.Result,
            transaction.Sender, _facts.Helo, iprev?.Result, _connection.ClientIp.ToString(), iprev?.PtrName);
        TraceFields.AddDkim(results, transaction.Find<DkimFindings>());
        TraceFields.AddDmarc(results, transaction.Find<DmarcFinding>());
        TraceFields.AddArc(results, transaction.Find<ArcFindings>());
        return TraceFields.AuthenticationResultsField(results);
    }

    /// <summary>Incoming Authentication-Results fields that claim our authserv-id are forgeries.</summary>
    private HeaderSectionFilter ForgedResultsFilter() =>
        new(AuthenticationResults.FieldName, value => AuthenticationResults.ClaimsAuthServId(value, _settings.Hostname));
}
