namespace Bulwark.Telemetry;

/// <summary>
/// Up to three label values, as a value type: looking up a labelled series allocates nothing,
/// which matters on the per-reply path of every session.
/// </summary>
public readonly record struct LabelValues(string? First = null, string? Second = null, string? Third = null)
{
    public static readonly LabelValues None = default;

    public string? this[int index] => index switch
    {
        0 => First,
        1 => Second,
        2 => Third,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    internal int Count => Third is not null ? 3 : Second is not null ? 2 : First is not null ? 1 : 0;
}
