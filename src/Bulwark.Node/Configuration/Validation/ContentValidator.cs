using Bulwark.Node.Configuration.Binding;

namespace Bulwark.Node.Configuration.Validation;

/// <summary>Content: the rspamd URL, every spam threshold (default, per domain, per recipient),
/// scanner timeouts and breaker, and the quarantine retention.</summary>
public sealed class ContentValidator : SectionValidator
{
    protected override void Check(BulwarkOptions options, SettingProblems problems)
    {
        var content = options.Content;
        var rspamd = content.Rspamd.Trim();
        if (rspamd.Length > 0 && !Uri.TryCreate(rspamd, UriKind.Absolute, out _))
            problems.Add("Content:Rspamd", $"'{rspamd}' is not an http:// URL");
        CheckThresholds("Content:Spam", content.Spam, problems);
        foreach (var (key, entry) in content.Domains)
        {
            problems.NotEmpty($"Content:Domains:{key}:Name", entry.Name);
            CheckThresholds($"Content:Domains:{key}", entry, problems);
        }
        foreach (var (key, entry) in content.Recipients)
        {
            problems.NotEmpty($"Content:Recipients:{key}:Address", entry.Address);
            CheckThresholds($"Content:Recipients:{key}", entry, problems);
        }
        problems.InRangeSeconds("Content:ClamdTimeoutSeconds", content.ClamdTimeoutSeconds, 0.1, 600);
        problems.InRangeSeconds("Content:RspamdTimeoutSeconds", content.RspamdTimeoutSeconds, 0.1, 600);
        problems.InRange("Content:BreakerFailures", content.BreakerFailures, 1, 1000);
        problems.InRangeSeconds("Content:BreakerCoolDownSeconds", content.BreakerCoolDownSeconds, 0.1, 3600);
        problems.InRangeSeconds("Content:QuarantineRetentionSeconds", content.QuarantineRetentionSeconds, 60, 86400 * 3650);
    }

    private static void CheckThresholds(string prefix, SpamThresholdOptions thresholds, SettingProblems problems)
    {
        problems.Score($"{prefix}:MarkAt", thresholds.MarkAt);
        problems.Score($"{prefix}:QuarantineAt", thresholds.QuarantineAt);
        problems.Score($"{prefix}:RefuseAt", thresholds.RefuseAt);
    }
}
