using System.Globalization;
using System.Text;
using Bulwark.Listener.Protocol;
using Bulwark.Policy.Checks;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Spf;

namespace Bulwark.Listener.Sessions;

/// <summary>The fields this farm puts at the top of an accepted message: Authentication-Results
/// from the transaction's findings, then Received; and the filter that removes incoming
/// Authentication-Results fields claiming to be ours.</summary>
public sealed partial class SessionActor
{
    /// <summary>The Received header (RFC 5321 section 4.4) that goes at the top of the stored
    /// message, under this farm's Authentication-Results when DNS checks ran.</summary>
    private byte[] TraceHeader(string queueId, TransactionFacts transaction)
    {
        var date = DateTimeOffset.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture);
        var recipients = transaction.Recipients;
        var forClause = recipients.Count == 1 ? $"\r\n\tfor <{recipients[0].Address}>" : "";
        var helo = Sanitise(_facts.Helo ?? "unknown");
        var text = $"{AuthenticationResultsField(transaction)}Received: from {helo} ([{_connection.ClientIp}]){TransportClause()} id {queueId}{forClause};\r\n\t{date}\r\n";
        return Encoding.UTF8.GetBytes(text);
    }

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
    private string? AuthenticationResultsField(TransactionFacts transaction)
    {
        if (!_settings.Dns.AppliesTo(_connection.ClientIp)) return null;
        var iprev = transaction.Find<IprevAnswer>();
        var value = AuthenticationResults.Format(_settings.Hostname, transaction.Find<SpfResult>()?.Result, transaction.Sender, _facts.Helo,
            iprev?.Result, _connection.ClientIp.ToString(), iprev?.PtrName);
        return $"{AuthenticationResults.FieldName}: {value}\r\n";
    }

    /// <summary>Incoming Authentication-Results fields that claim our authserv-id are forgeries.</summary>
    private HeaderSectionFilter ForgedResultsFilter() =>
        new(AuthenticationResults.FieldName, value => AuthenticationResults.ClaimsAuthServId(value, _settings.Hostname));
}
