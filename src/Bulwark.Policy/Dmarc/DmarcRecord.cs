namespace Bulwark.Policy.Dmarc;

/// <summary>
/// A DMARC policy record (RFC 7489 section 6.3), as read by <see cref="DmarcRecordParser"/>.
/// Tags that were absent or unusable hold their RFC defaults.
/// </summary>
/// <param name="Policy">p=: the policy for the domain the record was published at.</param>
/// <param name="SubdomainPolicy">sp=: the policy for its subdomains when the record was found at
/// the Organizational Domain; null when absent (then <see cref="Policy"/> applies to them too).</param>
/// <param name="DkimAlignment">adkim=, relaxed by default.</param>
/// <param name="SpfAlignment">aspf=, relaxed by default.</param>
/// <param name="Percent">pct=, 0..100: the share of failing mail the policy applies to; 100 by default.</param>
/// <param name="AggregateReportUris">rua=: the syntactically valid URIs, as written (a "!size" suffix kept).</param>
/// <param name="FailureReportUris">ruf=: likewise.</param>
/// <param name="FailureOptions">fo=, "0" by default: when failure reports are wanted.</param>
/// <param name="ReportFormat">rf=, "afrf" by default.</param>
/// <param name="ReportInterval">ri=, in seconds, 86400 by default.</param>
/// <param name="Problem">What was wrong in the record and ignored or replaced by a default, for
/// logs; null for a clean record.</param>
public sealed record DmarcRecord(
    DmarcPolicy Policy,
    DmarcPolicy? SubdomainPolicy = null,
    DmarcAlignmentMode DkimAlignment = DmarcAlignmentMode.Relaxed,
    DmarcAlignmentMode SpfAlignment = DmarcAlignmentMode.Relaxed,
    int Percent = DmarcRecord.DefaultPercent,
    IReadOnlyList<string>? AggregateReportUris = null,
    IReadOnlyList<string>? FailureReportUris = null,
    string FailureOptions = DmarcRecord.DefaultFailureOptions,
    string ReportFormat = DmarcRecord.DefaultReportFormat,
    long ReportInterval = DmarcRecord.DefaultReportInterval,
    string? Problem = null)
{
    public const int DefaultPercent = 100;
    public const string DefaultFailureOptions = "0";
    public const string DefaultReportFormat = "afrf";
    public const long DefaultReportInterval = 86400;

    /// <summary>The rua= URIs, never null.</summary>
    public IReadOnlyList<string> AggregateReportUris { get; init; } = AggregateReportUris ?? [];

    /// <summary>The ruf= URIs, never null.</summary>
    public IReadOnlyList<string> FailureReportUris { get; init; } = FailureReportUris ?? [];

    /// <summary>The policy that governs mail from a subdomain of the domain the record was found at.</summary>
    public DmarcPolicy EffectiveSubdomainPolicy => SubdomainPolicy ?? Policy;
}
