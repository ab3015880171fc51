using System.Globalization;
using System.Text;
using Bulwark.Telemetry;

namespace Bulwark.Admin.Http;

/// <summary>
/// Adds the zero series of histogram label sets that were bound but have recorded nothing yet to
/// a scrape in the classic text format. The OpenTelemetry SDK creates a histogram's series on its
/// first measurement and has no way to create one at zero, while counters and gauges can be
/// published at 0; without this, a node with no scanner traffic would export no
/// bulwark_scanner_duration_seconds at all and the dashboard would show "No data" for it.
/// The lines are spelled as the exporter spells its own: labels sorted by name, the bounds in
/// their shortest round-trip form, then le="+Inf", _sum and _count.
/// </summary>
public static class UnobservedHistograms
{
    public static string Insert(string exposition, IEnumerable<HistogramMetric> histograms)
    {
        var lines = exposition.Split('\n').ToList();
        if (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        var changed = false;
        foreach (var histogram in histograms)
        {
            var unobserved = histogram.UnobservedSeries();
            if (unobserved.Count == 0) continue;
            var zeros = unobserved.SelectMany(labels => ZeroSeries(histogram, labels)).ToList();
            var header = lines.IndexOf($"# TYPE {histogram.Name} histogram");
            if (header < 0)
            {
                lines.Add($"# TYPE {histogram.Name} histogram");
                lines.Add($"# HELP {histogram.Name} {EscapeHelp(histogram.Help)}");
                lines.AddRange(zeros);
            }
            else
            {
                lines.InsertRange(EndOfFamily(lines, header, histogram.Name), zeros);
            }
            changed = true;
        }
        return changed ? string.Join('\n', lines) + "\n" : exposition;
    }

    /// <summary>The index after the family's last line: the next comment line about another
    /// metric (its # TYPE or # HELP), or the end.</summary>
    private static int EndOfFamily(List<string> lines, int header, string name)
    {
        for (var i = header + 1; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.StartsWith('#') && !line.StartsWith($"# HELP {name} ", StringComparison.Ordinal)) return i;
        }
        return lines.Count;
    }

    private static IEnumerable<string> ZeroSeries(HistogramMetric histogram, LabelValues values)
    {
        var labels = histogram.LabelNames.Select((name, i) => (Name: name, Value: values[i] ?? ""))
            .OrderBy(l => l.Name, StringComparer.Ordinal)
            .Select(l => $"{l.Name}=\"{EscapeLabel(l.Value)}\"")
            .ToList();
        string Braces(IEnumerable<string> set) => "{" + string.Join(',', set) + "}";
        foreach (var bound in histogram.Bounds)
            yield return $"{histogram.Name}_bucket{Braces(labels.Append($"le=\"{bound.ToString("R", CultureInfo.InvariantCulture)}\""))} 0";
        yield return $"{histogram.Name}_bucket{Braces(labels.Append("le=\"+Inf\""))} 0";
        yield return $"{histogram.Name}_sum{Braces(labels)} 0";
        yield return $"{histogram.Name}_count{Braces(labels)} 0";
    }

    private static string EscapeLabel(string value) =>
        new StringBuilder(value).Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").ToString();

    private static string EscapeHelp(string value) => value.Replace("\\", "\\\\").Replace("\n", "\\n");
}
