namespace Bulwark.Policy.Sessions;

/// <summary>The bounds a session enforces. Defaults follow RFC 5321's minimums and what
/// large MX operators use.</summary>
public sealed record SessionLimits
{
    /// <summary>Largest message accepted, in bytes after dot-unstuffing (advertised as SIZE).</summary>
    public long MaxMessageBytes { get; init; } = 25 * 1024 * 1024;

    /// <summary>Recipients accepted in one transaction; the next gets 452 4.5.3 (RFC 5321 asks for at least 100).</summary>
    public int MaxRecipients { get; init; } = 100;

    /// <summary>Longest command line, CRLF included. RFC 5321 says 512; extensions need more.</summary>
    public int MaxCommandLineBytes { get; init; } = 2048;

    /// <summary>Longest text line in DATA, CRLF excluded (RFC 5322: 998).</summary>
    public int MaxDataLineBytes { get; init; } = 998;

    /// <summary>Refused or unknown commands before the session is closed with 421.</summary>
    public int MaxErrors { get; init; } = 10;
}
