using System.Text;
using Bulwark.Policy.Verdicts;
using Bulwark.Policy.Checks;

namespace Bulwark.Listener.Sessions;

/// <summary>
/// Gathers one transaction's facts so that exactly one structured line is logged for it:
/// client, HELO, sender, each recipient with its verdict, size, queue id, final verdict.
/// </summary>
public sealed class TransactionLog
{
    private readonly List<(string Recipient, SmtpReply Reply, string Check)> _recipients = new();

    public string? Sender { get; private set; }
    public long Size { get; set; }
    public string? QueueId { get; set; }
    /// <summary>The end-of-DATA authentication results (<see cref="AuthenticationSummary"/>), or null.</summary>
    public string? Authentication { get; set; }
    public bool IsEmpty => Sender is null && _recipients.Count == 0;

    public void Begin(string sender)
    {
        _recipients.Clear();
        Sender = sender;
        Size = 0;
        QueueId = null;
        Authentication = null;
    }

    public void Clear()
    {
        _recipients.Clear();
        Sender = null;
        Size = 0;
        QueueId = null;
        Authentication = null;
    }

    public void Recipient(string recipient, Verdict verdict) => _recipients.Add((recipient, verdict.Reply, verdict.Check));

    public string Format(ConnectionInfo connection, string? helo, string finalVerdict, SmtpReply? finalReply)
    {
        var line = new StringBuilder(256);
        line.Append("transaction client=").Append(connection.ClientIp)
            .Append(" conn=").Append(connection.ConnectionId)
            .Append(" helo=").Append(Quote(helo ?? ""))
            .Append(" from=<").Append(Sender ?? "").Append('>')
            .Append(" rcpt=[");
        for (var i = 0; i < _recipients.Count; i++)
        {
            var (recipient, reply, check) = _recipients[i];
            if (i > 0) line.Append(", ");
            line.Append('<').Append(recipient).Append(">:").Append(reply.Code).Append(' ').Append(reply.EnhancedCode)
                .Append('(').Append(check).Append(')');
        }
        line.Append("] size=").Append(Size)
            .Append(" queue_id=").Append(QueueId ?? "-");
        if (Authentication is not null) line.Append(" auth=\"").Append(Authentication).Append('"');
        line
            .Append(" verdict=").Append(finalVerdict);
        if (finalReply is not null)
            line.Append(" reply=\"").Append(finalReply.ToWire()).Append('"');
        return line.ToString();
    }

    private static string Quote(string value) => value.Length == 0 || value.Contains(' ') ? $"\"{value}\"" : value;
}
