using Bulwark.Policy.Dmarc;
using Bulwark.Policy.Dns;

namespace Bulwark.Node.Configuration.Conversion;

/// <summary>
/// A setting that is one of a few names, read trimmed and case-insensitively ("Soft-Reject" is
/// soft-reject). The names are those of the configuration reference, not the enum's own names,
/// which is why the binder's enum conversion is not used.
/// </summary>
public sealed class NamedChoice<T>(params (string Name, T Value)[] choices)
{
    private readonly Dictionary<string, T> _byName = choices.ToDictionary(c => c.Name, c => c.Value);
    private readonly string _names = string.Join(", ", choices.Select(c => c.Name));

    /// <summary>Null when <paramref name="text"/> names a choice.</summary>
    public string? Problem(string text) => _byName.ContainsKey(Normalised(text))
        ? null
        : $"'{Normalised(text)}' is not one of {_names}";

    /// <summary>The value of a name that <see cref="Problem"/> accepted.</summary>
    public T Parse(string text) => _byName.TryGetValue(Normalised(text), out var value)
        ? value
        : throw new ArgumentException(Problem(text), nameof(text));

    private static string Normalised(string text) => text.Trim().ToLowerInvariant();
}

/// <summary>The named choices of the configuration reference.</summary>
public static class Choices
{
    public static readonly NamedChoice<SpoolKind> Spool = new(("files", SpoolKind.Files), ("segments", SpoolKind.Segments));

    public static readonly NamedChoice<PersistenceProvider> Provider =
        new(("sqlite", PersistenceProvider.Sqlite), ("postgresql", PersistenceProvider.PostgreSql));

    public static readonly NamedChoice<DmarcMode> Dmarc =
        new(("enforce", DmarcMode.Enforce), ("record", DmarcMode.RecordOnly), ("off", DmarcMode.Off));

    public static readonly NamedChoice<DmarcEnforcement> DomainDmarc =
        new(("enforce", DmarcEnforcement.Enforce), ("record", DmarcEnforcement.RecordOnly));

    public static readonly NamedChoice<DmarcQuarantineAction> DmarcQuarantine =
        new(("quarantine", DmarcQuarantineAction.Quarantine), ("deliver", DmarcQuarantineAction.DeliverWithHeader));

    public static readonly NamedChoice<IprevAction> Iprev = new(("off", IprevAction.Off), ("record", IprevAction.RecordOnly),
        ("soft-reject", IprevAction.SoftReject), ("reject", IprevAction.Reject));
}
