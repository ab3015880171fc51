using System.Text;

namespace Bulwark.Cli;

/// <summary>Plain-text layouts for the CLI: columns padded with spaces, never wrapped, no colour,
/// so the output is the same on a terminal, in a file and to grep.</summary>
public static class TextTable
{
    /// <summary>A header line and one line per row, columns two spaces apart; the last column is
    /// not padded. No rows: the <paramref name="empty"/> sentence instead.</summary>
    public static string Table(string[] headers, IReadOnlyList<string[]> rows, string empty)
    {
        if (rows.Count == 0) return empty + "\n";
        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        var output = new StringBuilder();
        void Line(IReadOnlyList<string> cells) =>
            output.Append(string.Join("  ", cells.Select((c, i) => i == cells.Count - 1 ? c : c.PadRight(widths[i]))).TrimEnd()).Append('\n');
        Line(headers);
        foreach (var row in rows) Line(row);
        return output.ToString();
    }

    /// <summary>"label: value" lines, the values aligned one space after the longest label.</summary>
    public static string Fields(IReadOnlyList<(string Label, string Value)> fields)
    {
        var width = fields.Max(f => f.Label.Length) + 1;
        var output = new StringBuilder();
        foreach (var (label, value) in fields)
            output.Append((label + ":").PadRight(width)).Append(' ').Append(value).Append('\n');
        return output.ToString();
    }
}
