using System.Globalization;
using System.Text;

namespace Bulwark.Telemetry;

/// <summary>Writes the Prometheus text exposition format (version 0.0.4).</summary>
public sealed class PrometheusText(StringBuilder output)
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public void Header<T>(Metric<T> metric) where T : class
    {
        output.Append("# HELP ").Append(metric.Name).Append(' ').Append(EscapeHelp(metric.Help)).Append('\n');
        output.Append("# TYPE ").Append(metric.Name).Append(' ').Append(metric.Type).Append('\n');
    }

    public void Sample(string name, IReadOnlyList<string> labelNames, LabelValues labels, double value,
        string? extraLabel = null, string? extraValue = null)
    {
        output.Append(name);
        var any = labelNames.Count > 0 || extraLabel is not null;
        if (any)
        {
            output.Append('{');
            for (var i = 0; i < labelNames.Count; i++)
            {
                if (i > 0) output.Append(',');
                output.Append(labelNames[i]).Append("=\"").Append(EscapeLabel(labels[i] ?? "")).Append('"');
            }
            if (extraLabel is not null)
            {
                if (labelNames.Count > 0) output.Append(',');
                output.Append(extraLabel).Append("=\"").Append(EscapeLabel(extraValue ?? "")).Append('"');
            }
            output.Append('}');
        }
        output.Append(' ').Append(FormatValue(value)).Append('\n');
    }

    public static string FormatValue(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    public static bool IsValidName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) &&
        name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');

    private static string EscapeLabel(string value) =>
        value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    private static string EscapeHelp(string value) =>
        value.Replace("\\", "\\\\").Replace("\n", "\\n");
}
