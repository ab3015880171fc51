using System.Globalization;
using System.Text.RegularExpressions;

namespace Bulwark.Tests.Shared;

/// <summary>
/// Reads samples out of a Prometheus text exposition the way Prometheus does: a series is its
/// name and its set of labels, whatever their order, and "name{}" is the same series as "name".
/// Tests ask for a series as they would write a selector: <c>name{a="x",b="y"}</c>.
/// </summary>
public static partial class PrometheusSamples
{
    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\S+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)""")]
    private static partial Regex Label();

    /// <summary>One sample line: name, labels (escapes kept as written) and value.</summary>
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public static IReadOnlyList<Sample> Parse(string exposition) =>
        exposition.Split('\n')
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => SampleLine().Match(line))
            .Where(match => match.Success)
            .Select(match => new Sample(match.Groups["name"].Value, LabelsOf(match.Groups["labels"].Value),
                double.Parse(match.Groups["value"].Value.Replace("+Inf", "Infinity").Replace("-Inf", "-Infinity"), CultureInfo.InvariantCulture)))
            .ToList();

    /// <summary>The value of the series named by <paramref name="series"/>, or null when absent.</summary>
    public static double? Find(string exposition, string series)
    {
        var wanted = SampleLine().Match(series + " 0");
        if (!wanted.Success) throw new ArgumentException($"not a series: {series}", nameof(series));
        var name = wanted.Groups["name"].Value;
        var labels = LabelsOf(wanted.Groups["labels"].Value);
        return Parse(exposition).FirstOrDefault(s => s.Name == name && SameLabels(s.Labels, labels))?.Value;
    }

    /// <summary>True when some series of that name has all the given labels (and maybe more).</summary>
    public static bool Any(string exposition, string name, params (string Key, string Value)[] labels) =>
        Parse(exposition).Any(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value));

    private static Dictionary<string, string> LabelsOf(string text) =>
        Label().Matches(text).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value);

    private static bool SameLabels(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var value) && value == pair.Value);
}
