namespace Bulwark.Policy.Dmarc;

/// <summary>Whether a DMARC failure for mail to a domain is acted on or only recorded.</summary>
public enum DmarcEnforcement
{
    /// <summary>The owner's policy is applied: p=reject refused, p=quarantine quarantined.</summary>
    Enforce,
    /// <summary>The result is recorded (Authentication-Results, logs, metrics); the mail is delivered.</summary>
    RecordOnly,
}

/// <summary>What p=quarantine means for mail to a domain.</summary>
public enum DmarcQuarantineAction
{
    /// <summary>Into the quarantine store, never delivered unless an operator releases it.</summary>
    Quarantine,
    /// <summary>Delivered, with an X-Bulwark-DMARC field the mail store can file on.</summary>
    DeliverWithHeader,
}

/// <summary>DMARC for the mail of one of the farm's own domains.</summary>
public sealed record DmarcDomainPolicy(DmarcEnforcement Enforcement, DmarcQuarantineAction Quarantine)
{
    public static readonly DmarcDomainPolicy Default = new(DmarcEnforcement.Enforce, DmarcQuarantineAction.Quarantine);
}

/// <summary>
/// The farm's DMARC settings: the global switch, the rule for each of its domains, the ARC
/// sealers it trusts and the Public Suffix List. On by default and enforcing: a domain owner who
/// publishes p=reject asked for it.
/// </summary>
public sealed record DmarcSettings
{
    public static readonly DmarcSettings Off = new() { Enabled = false };

    public bool Enabled { get; init; } = true;

    /// <summary>For recipient domains not listed in <see cref="PerDomain"/>.</summary>
    public DmarcDomainPolicy Default { get; init; } = DmarcDomainPolicy.Default;

    /// <summary>Per recipient domain (case-insensitive).</summary>
    public IReadOnlyDictionary<string, DmarcDomainPolicy> PerDomain { get; init; } =
        new Dictionary<string, DmarcDomainPolicy>(StringComparer.OrdinalIgnoreCase);

    /// <summary>ARC sealer domains (the ARC-Seal d=, lower case) whose recorded dmarc=pass is
    /// believed for mail that fails DMARC here: the operator's own lists, known forwarders.</summary>
    public IReadOnlySet<string> TrustedArcSealers { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    public PublicSuffixList PublicSuffixes { get; init; } = PublicSuffixList.Parse([]);

    public DmarcDomainPolicy For(string recipientDomain) =>
        PerDomain.TryGetValue(recipientDomain, out var policy) ? policy : Default;
}
