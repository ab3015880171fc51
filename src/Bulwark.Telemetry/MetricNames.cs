namespace Bulwark.Telemetry;

/// <summary>The Prometheus naming rules Bulwark's metrics keep (the classic ones, without
/// UTF-8), so that no exporter has to escape a name that a dashboard or an alert spells.</summary>
public static class MetricNames
{
    public static bool IsValid(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) &&
        name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');

    public static bool IsValidLabel(string label) =>
        label.Length > 0 && !char.IsAsciiDigit(label[0]) && !label.StartsWith("__", StringComparison.Ordinal) &&
        label.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>The instrument unit a name's suffix states (UCUM, as OpenTelemetry expects), or
    /// null. Prometheus exporters append the unit to a name that does not already end in it, so
    /// a unit is given only where the name carries it: "bulwark_message_bytes_accepted_total"
    /// has none, or it would be exported as "..._accepted_bytes_total".</summary>
    public static string? UnitOf(string name) =>
        name.EndsWith("_seconds", StringComparison.Ordinal) ? "s"
        : name.EndsWith("_bytes", StringComparison.Ordinal) ? "By"
        : null;
}
