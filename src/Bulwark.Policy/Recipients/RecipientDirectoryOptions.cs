namespace Bulwark.Policy.Recipients;

/// <summary>Asking the next hop whether it would take RCPT TO for an address ("call-ahead").</summary>
public sealed record CallAheadOptions
{
    public bool Enabled { get; init; }
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 25;
    /// <summary>Name sent in EHLO.</summary>
    public string HeloName { get; init; } = "bulwark.localhost";
    public TimeSpan PositiveTtl { get; init; } = TimeSpan.FromHours(1);
    public TimeSpan NegativeTtl { get; init; } = TimeSpan.FromMinutes(10);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Cached answers kept per domain; the oldest go first when full.</summary>
    public int MaxCachedEntries { get; init; } = 100_000;
}

/// <summary>How one domain's recipients are known.</summary>
public sealed record DomainDirectoryOptions
{
    /// <summary>Lower-case local parts that exist (see <see cref="RecipientListFile"/>).</summary>
    public IReadOnlySet<string> StaticRecipients { get; init; } = new HashSet<string>();
    /// <summary>Every local part exists (the domain takes all mail).</summary>
    public bool CatchAll { get; init; }
    public CallAheadOptions CallAhead { get; init; } = new();
}

/// <summary>All domains' directories. A domain that is accepted but not listed here uses
/// <see cref="Default"/> (no list, no call-ahead: every recipient but postmaster is unknown).</summary>
public sealed record RecipientDirectoryOptions
{
    public IReadOnlyDictionary<string, DomainDirectoryOptions> Domains { get; init; } =
        new Dictionary<string, DomainDirectoryOptions>();

    public DomainDirectoryOptions Default { get; init; } = new();

    public DomainDirectoryOptions For(string domain) =>
        Domains.TryGetValue(domain.ToLowerInvariant(), out var d) ? d
        : Domains.FirstOrDefault(kv => string.Equals(kv.Key, domain, StringComparison.OrdinalIgnoreCase)).Value ?? Default;

    /// <summary>Builds options from a static list file's contents (all domains static only).</summary>
    public static RecipientDirectoryOptions FromStaticLists(IReadOnlyDictionary<string, IReadOnlySet<string>> lists) =>
        new()
        {
            Domains = lists.ToDictionary(kv => kv.Key, kv => new DomainDirectoryOptions { StaticRecipients = kv.Value }),
        };
}
