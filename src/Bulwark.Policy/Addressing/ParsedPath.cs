namespace Bulwark.Policy.Addressing;

/// <summary>
/// The argument of MAIL FROM: / RCPT TO: after parsing.
/// </summary>
/// <param name="Mailbox">The mailbox, or null for the null reverse-path "&lt;&gt;".</param>
/// <param name="Parameters">ESMTP parameters; keys upper-case (lookups are case-insensitive too),
/// value null for a keyword without "=value".</param>
/// <param name="HadSourceRoute">The path carried an "@a,@b:" source route (RFC 5321 says to ignore it;
/// <see cref="RelayRules"/> refuses it for recipients as a relay attempt).</param>
/// <param name="LocalPartWasQuoted">The local part was written as a quoted-string.</param>
/// <param name="Raw">The path exactly as the client wrote it, brackets included, parameters excluded.</param>
public sealed record ParsedPath(
    Mailbox? Mailbox,
    IReadOnlyDictionary<string, string?> Parameters,
    bool HadSourceRoute,
    bool LocalPartWasQuoted,
    string Raw)
{
    /// <summary>
    /// False when the client sent a bare address without the RFC 5321 angle brackets. We accept it
    /// (many simple clients and scripts do this) but record it so callers can log or score it.
    /// </summary>
    public bool HadAngleBrackets { get; init; } = true;

    /// <summary>True for the null path "&lt;&gt;" (only accepted as a reverse-path).</summary>
    public bool IsNullPath => Mailbox is null;

    /// <summary>True for RCPT TO:&lt;Postmaster&gt; without a domain (RFC 5321 4.1.1.3).</summary>
    public bool IsBarePostmaster => Mailbox is { Domain.Length: 0 };
}
