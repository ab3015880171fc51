namespace Bulwark.Policy.Spf;

/// <summary>The qualifier prefix of a mechanism; its result when the mechanism matches.</summary>
public enum SpfQualifier
{
    Pass,
    Fail,
    SoftFail,
    Neutral,
}

public enum SpfMechanismKind
{
    All,
    Include,
    A,
    Mx,
    Ptr,
    Ip4,
    Ip6,
    Exists,
}

/// <summary>
/// One parsed mechanism. <see cref="DomainSpec"/> is the unexpanded macro-string (null when the
/// mechanism defaults to the current domain); Network is set for ip4/ip6. Cidr lengths default to
/// the full width (32 / 128).
/// </summary>
public sealed record SpfMechanism(
    SpfQualifier Qualifier,
    SpfMechanismKind Kind,
    string Text,
    string? DomainSpec = null,
    System.Net.IPAddress? Network = null,
    int Cidr4 = 32,
    int Cidr6 = 128)
{
    /// <summary>RFC 7208 4.6.4: these terms count toward the DNS lookup limit.</summary>
    public bool CausesLookup => Kind is SpfMechanismKind.Include or SpfMechanismKind.A or SpfMechanismKind.Mx
        or SpfMechanismKind.Ptr or SpfMechanismKind.Exists;
}

/// <summary>A name=value modifier other than redirect/exp (kept for diagnostics; ignored in evaluation).</summary>
public sealed record SpfModifier(string Name, string Value);

/// <summary>A syntactically valid "v=spf1" record.</summary>
public sealed record SpfRecord(
    IReadOnlyList<SpfMechanism> Mechanisms,
    string? Redirect,
    string? Explanation,
    IReadOnlyList<SpfModifier> UnknownModifiers);
