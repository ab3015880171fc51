using Bulwark.Policy.Content;

namespace Bulwark.Node.Configuration;

/// <summary>
/// Reads the Content section: scanner endpoints, spam thresholds (default, per domain, per
/// recipient) and the quarantine. A scanner with no endpoint is simply not used.
/// </summary>
public static class ContentSettingsLoader
{
    public static ContentSettings Load(SettingsReader r, string dataDirectory)
    {
        var clamd = r.String("Content:Clamd", "", allowEmpty: true);
        var rspamd = r.String("Content:Rspamd", "", allowEmpty: true);
        if (rspamd.Length > 0 && !Uri.TryCreate(rspamd, UriKind.Absolute, out _))
            throw new ConfigurationError("Content:Rspamd", $"'{rspamd}' is not an http:// URL");
        var policy = new ContentPolicy
        {
            Default = Thresholds(r, "Content:Spam", SpamThresholds.Default),
            PerDomain = Entries(r, "Content:Domains", "Name"),
            PerRecipient = Entries(r, "Content:Recipients", "Address"),
            FailOpenSpam = r.Bool("Content:FailOpenSpam", false),
        };
        return new ContentSettings(
            clamd.Length > 0 ? clamd : null,
            r.Seconds("Content:ClamdTimeoutSeconds", TimeSpan.FromSeconds(30), 0.1, 600),
            rspamd.Length > 0 ? rspamd : null,
            r.Seconds("Content:RspamdTimeoutSeconds", TimeSpan.FromSeconds(30), 0.1, 600),
            r.Int("Content:BreakerFailures", 3, 1, 1000),
            r.Seconds("Content:BreakerCoolDownSeconds", TimeSpan.FromSeconds(30), 0.1, 3600),
            policy,
            Path.Combine(dataDirectory, "quarantine"),
            r.Seconds("Content:QuarantineRetentionSeconds", TimeSpan.FromDays(30), 60, 86400 * 3650));
    }

    private static IReadOnlyDictionary<string, SpamThresholds> Entries(SettingsReader r, string section, string keyName)
    {
        var result = new Dictionary<string, SpamThresholds>(StringComparer.OrdinalIgnoreCase);
        foreach (var child in r.Root.GetSection(section).GetChildren())
        {
            var prefix = $"{section}:{child.Key}";
            var key = r.String($"{prefix}:{keyName}", "").ToLowerInvariant();
            result[key] = Thresholds(r, prefix, SpamThresholds.Default);
        }
        return result;
    }

    /// <summary>MarkAt, QuarantineAt, RefuseAt: a number, or "never".</summary>
    private static SpamThresholds Thresholds(SettingsReader r, string prefix, SpamThresholds fallback) => new(
        Score(r, $"{prefix}:MarkAt", fallback.MarkAt),
        Score(r, $"{prefix}:QuarantineAt", fallback.QuarantineAt),
        Score(r, $"{prefix}:RefuseAt", fallback.RefuseAt),
        r.Bool($"{prefix}:UseScannerAction", fallback.UseScannerAction));

    private static double? Score(SettingsReader r, string key, double? fallback)
    {
        var text = r.Root[key];
        if (text is null) return fallback;
        if (text.Equals("never", StringComparison.OrdinalIgnoreCase) || text.Length == 0) return null;
        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ConfigurationError(key, $"'{text}' is not a score or 'never'");
    }
}
