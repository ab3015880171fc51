namespace Bulwark.Policy.Content;

/// <summary>
/// Spam policy of the farm: default thresholds, overridden per domain, overridden per recipient
/// (the seed: "the same message can be spam for one recipient and valid for another").
/// Dictionary keys are lower-case (a domain, or a full local@domain address).
/// </summary>
public sealed record ContentPolicy
{
    private static readonly IReadOnlyDictionary<string, SpamThresholds> None = new Dictionary<string, SpamThresholds>();

    public SpamThresholds Default { get; init; } = SpamThresholds.Default;
    public IReadOnlyDictionary<string, SpamThresholds> PerDomain { get; init; } = None;
    public IReadOnlyDictionary<string, SpamThresholds> PerRecipient { get; init; } = None;

    /// <summary>When the spam scanner is unavailable: false (default) answers 451 4.3.0; true lets
    /// the mail through with X-Spam-Status: Unchecked. There is deliberately no such option for
    /// the virus scanner: a virus delivered cannot be taken back, a 451 costs a retry.</summary>
    public bool FailOpenSpam { get; init; }

    /// <summary>Resolution order: the recipient's own entry, then its domain's, then the default.
    /// Case-insensitive (addresses are lower-cased before the lookup).</summary>
    public SpamThresholds ThresholdsFor(string recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var address = recipient.Trim().ToLowerInvariant();
        if (PerRecipient.TryGetValue(address, out var own)) return own;
        var at = address.LastIndexOf('@');
        if (at >= 0 && PerDomain.TryGetValue(address[(at + 1)..], out var domain)) return domain;
        return Default;
    }
}
