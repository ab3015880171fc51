using System.Net;
using Bulwark.Policy.Addressing;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Checks;

/// <summary>The client end of one connection.</summary>
/// <param name="IpKey">The key its reputation is kept under (<see cref="Reputation.IpKey"/>).</param>
public sealed record ConnectionInfo(string ConnectionId, IPAddress ClientIp, string IpKey);

/// <summary>
/// What every check may read of the session: the client, what it said so far, and the seam to
/// ask the farm through. The session actor owns it and updates it between commands; checks
/// only read it.
/// </summary>
public sealed class SessionFacts(ConnectionInfo client, ISessionAsks asks) : IPhaseFacts
{
    SessionFacts IPhaseFacts.Session => this;

    public ConnectionInfo Client { get; } = client;

    public ISessionAsks Asks { get; } = asks;

    /// <summary>The HELO/EHLO argument; null before HELO and again after STARTTLS.</summary>
    public string? Helo { get; set; }

    public bool UnderTls { get; set; }

    /// <summary>The open transaction (MAIL accepted); null outside one.</summary>
    public TransactionFacts? Transaction { get; set; }
}

/// <summary>One mail transaction, from an accepted MAIL to the end of DATA, RSET or a new HELO.</summary>
public sealed class TransactionFacts(ParsedPath sender, IEnumerable<IFinding>? findings = null)
{
    private readonly List<Mailbox> _recipients = [];
    private readonly List<IFinding> _findings = findings?.ToList() ?? [];

    public ParsedPath SenderPath { get; } = sender;

    /// <summary>The reverse-path's address; "" for the null sender.</summary>
    public string Sender => SenderPath.Mailbox?.Address ?? "";

    /// <summary>Accepted recipients, in the order they were given.</summary>
    public IReadOnlyList<Mailbox> Recipients => _recipients;

    /// <summary>What the checks of this transaction found, in the order they found it.</summary>
    public IReadOnlyList<IFinding> Findings => _findings;

    /// <summary>Set when a check discarded the transaction: the end of DATA answers 250 and keeps nothing.</summary>
    public Verdict? Discarded { get; set; }

    /// <summary>Where the pipelines of this transaction's phases put their findings.</summary>
    public ICollection<IFinding> FindingSink => _findings;

    public void AddRecipient(Mailbox recipient) => _recipients.Add(recipient);

    public void Record(IFinding finding) => _findings.Add(finding);

    /// <summary>The latest finding of this type, or null.</summary>
    public T? Find<T>() where T : class, IFinding
    {
        for (var i = _findings.Count - 1; i >= 0; i--)
            if (_findings[i] is T found) return found;
        return null;
    }
}
