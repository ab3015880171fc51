using System.Globalization;

namespace Bulwark.Node.Configuration.Conversion;

/// <summary>A spam threshold as written: a score, or "never" (any case) or empty for no threshold.
/// Not given at all (null), the threshold is the caller's fallback.</summary>
public static class SpamScore
{
    /// <summary>Null when <paramref name="text"/> is a score, "never", empty or not given.</summary>
    public static string? Problem(string? text) => TryParse(text, null, out _) ? null : $"'{text}' is not a score or 'never'";

    /// <summary>The threshold of a value that <see cref="Problem"/> accepted.</summary>
    public static double? Parse(string? text, double? fallback) =>
        TryParse(text, fallback, out var score) ? score : throw new ArgumentException(Problem(text), nameof(text));

    private static bool TryParse(string? text, double? fallback, out double? score)
    {
        score = fallback;
        if (text is null) return true;
        score = null;
        if (text.Length == 0 || text.Equals("never", StringComparison.OrdinalIgnoreCase)) return true;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) return false;
        score = value;
        return true;
    }
}
