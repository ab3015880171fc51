namespace Bulwark.Content.Scanners;

/// <summary>Which scanners run and how long each may take. A null endpoint means "not configured".</summary>
public sealed record ContentScannerOptions
{
    /// <summary>clamd: "host:port", "[::1]:3310", "/run/clamav/clamd.ctl" or "unix:/path". Null = no virus scanning.</summary>
    public string? ClamdEndpoint { get; init; }
    /// <summary>For connect, upload and answer together.</summary>
    public TimeSpan ClamdTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>rspamd's normal worker, e.g. "http://127.0.0.1:11333". Null = no spam scanning.</summary>
    public string? RspamdUrl { get; init; }
    public TimeSpan RspamdTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Consecutive failures of one scanner that open its circuit breaker.</summary>
    public int BreakerFailureThreshold { get; init; } = ScannerBreaker.DefaultFailureThreshold;
    /// <summary>How long an open breaker refuses calls before one trial call.</summary>
    public TimeSpan BreakerCoolDown { get; init; } = ScannerBreaker.DefaultCoolDown;
}
