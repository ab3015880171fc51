using Bulwark.Policy.Dns;
using Bulwark.Policy.Spf;

namespace Bulwark.Dns.Spf;

/// <summary>Evaluation limits and receiver settings (RFC 7208 sections 4.6.4, 6.2 and 7.3).</summary>
public sealed record SpfOptions
{
    /// <summary>Terms that cause DNS queries (include, a, mx, ptr, exists, redirect); more is a permerror.</summary>
    public int LookupLimit { get; init; } = 10;

    /// <summary>Lookups answering NXDOMAIN or no records; more is a permerror.</summary>
    public int VoidLookupLimit { get; init; } = 2;

    /// <summary>MX names per mx mechanism (more: permerror) and PTR names per ptr / %{p} (more: ignored).</summary>
    public int NameLookupLimit { get; init; } = 10;

    /// <summary>Wall-clock budget for one check_host(); past it the result is temperror.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Explanation for a fail when the policy gives none (or an unusable one). Literal text.</summary>
    public string? DefaultExplanation { get; init; } = "SPF policy of the sender domain does not permit this host";

    /// <summary>The %{r} macro: this receiver's host name (only used in explanations).</summary>
    public string ReceivingHost { get; init; } = "unknown";

    /// <summary>The %{t} macro's clock. Tests pin it.</summary>
    public Func<DateTimeOffset> Clock { get; init; } = () => DateTimeOffset.UtcNow;

    public static SpfOptions Default { get; } = new();
}
