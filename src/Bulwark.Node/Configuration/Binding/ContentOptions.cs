namespace Bulwark.Node.Configuration.Binding;

/// <summary>The Content section: scanners, the spam policy and the quarantine.</summary>
public sealed class ContentOptions
{
    /// <summary>Empty: no virus scanning.</summary>
    public string Clamd { get; set; } = "";

    public double ClamdTimeoutSeconds { get; set; } = 30;

    /// <summary>Empty: no spam scanning.</summary>
    public string Rspamd { get; set; } = "";

    public double RspamdTimeoutSeconds { get; set; } = 30;
    public int BreakerFailures { get; set; } = 3;
    public double BreakerCoolDownSeconds { get; set; } = 30;
    public bool FailOpenSpam { get; set; }
    public SpamThresholdOptions Spam { get; set; } = new();
    public OrderedDictionary<string, SpamPolicyEntryOptions> Domains { get; set; } = new();
    public OrderedDictionary<string, SpamPolicyEntryOptions> Recipients { get; set; } = new();
    public double QuarantineRetentionSeconds { get; set; } = 2592000;
}

/// <summary>Spam score thresholds as written: a number, "never" (or empty), or not given
/// (null: the built-in threshold).</summary>
public class SpamThresholdOptions
{
    public string? MarkAt { get; set; }
    public string? QuarantineAt { get; set; }
    public string? RefuseAt { get; set; }
    public bool UseScannerAction { get; set; }
}

/// <summary>An entry of Content:Domains (keyed by Name) or Content:Recipients (keyed by Address);
/// thresholds not given are the built-in ones, not those of Content:Spam.</summary>
public sealed class SpamPolicyEntryOptions : SpamThresholdOptions
{
    public string Name { get; set; } = "";
    public string Address { get; set; } = "";
}
