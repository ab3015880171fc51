namespace Bulwark.Policy.Content;

/// <summary>How one scanner's look at a message ended.</summary>
public enum ScanStatus
{
    /// <summary>The scanner is not configured.</summary>
    NotConfigured,
    /// <summary>The scanner answered.</summary>
    Done,
    /// <summary>It failed, timed out, or its circuit breaker is open: no verdict.</summary>
    Unavailable,
}

/// <summary>clamd's answer. Signature is set when a virus was found.</summary>
public sealed record VirusScan(ScanStatus Status, string? Signature = null, string? Problem = null)
{
    public bool Infected => Status == ScanStatus.Done && Signature is not null;
}

/// <summary>rspamd's answer: score, the score its own config would reject at, its action and the
/// symbols that fired.</summary>
public sealed record SpamScan(ScanStatus Status, double Score = 0, double RequiredScore = 0, string Action = "no action",
    IReadOnlyList<string>? Symbols = null, string? Problem = null);

/// <summary>Both scanners' answers for one message.</summary>
public sealed record ScanReport(VirusScan Virus, SpamScan Spam);
