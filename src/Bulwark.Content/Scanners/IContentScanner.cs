using Bulwark.Policy.Content;

namespace Bulwark.Content.Scanners;

/// <summary>
/// Runs the configured scanners over one stored message. Never throws for a scanner's failure:
/// it reports <see cref="ScanStatus.Unavailable"/>, and the policy decides (451 by default).
/// </summary>
public interface IContentScanner
{
    /// <summary>True when at least one scanner is configured (otherwise DATA skips scanning).</summary>
    bool Enabled { get; }

    /// <param name="openMessage">Opens the stored message for reading; may be called once per scanner.</param>
    Task<ScanReport> ScanAsync(Func<Stream> openMessage, ScanContext context, CancellationToken cancellationToken);
}
