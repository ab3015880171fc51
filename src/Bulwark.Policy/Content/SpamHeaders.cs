using System.Globalization;
using System.Text;

namespace Bulwark.Policy.Content;

/// <summary>Builds the X-Spam-* and X-Virus-Scanned headers. Everything that came from a scanner
/// (symbol names, signatures) is reduced to a safe token first: a CR or LF in a symbol name must
/// never become a header of its own in the delivered message.</summary>
public static class SpamHeaders
{
    public const string VirusScannerName = "ClamAV (clamd)";
    private const int MaxSymbols = 100;
    private const int MaxSymbolLength = 64;

    public static IReadOnlyList<(string Name, string Value)> For(ScanReport report, bool marked, bool spamUnchecked)
    {
        var headers = new List<(string, string)>();
        if (report.Virus.Status == ScanStatus.Done) headers.Add(("X-Virus-Scanned", VirusScannerName));
        if (spamUnchecked)
        {
            headers.Add(("X-Spam-Status", "Unchecked (spam scanner unavailable)"));
            return headers;
        }
        if (report.Spam.Status != ScanStatus.Done) return headers;

        var score = Format(report.Spam.Score);
        if (marked) headers.Add(("X-Spam-Flag", "YES"));
        headers.Add(("X-Spam-Status", $"{(marked ? "Yes" : "No")}, score={score}"));
        headers.Add(("X-Spam-Score", score));
        var symbols = (report.Spam.Symbols ?? [])
            .Select(s => SafeToken(s, MaxSymbolLength))
            .Where(s => s.Length > 0)
            .Take(MaxSymbols)
            .ToList();
        // One line; the writer folds it (MimeKit, within 78 columns).
        if (symbols.Count > 0) headers.Add(("X-Spam-Symbols", string.Join(", ", symbols)));
        return headers;
    }

    /// <summary>Keeps letters, digits and _ . : + = ( ) / - ; anything else becomes '_'; cut to
    /// <paramref name="max"/> characters. Leading/trailing junk is trimmed.</summary>
    public static string SafeToken(string value, int max)
    {
        var sb = new StringBuilder(Math.Min(value.Length, max));
        foreach (var c in value.Trim())
        {
            if (sb.Length == max) break;
            sb.Append(IsSafe(c) ? c : '_');
        }
        return sb.ToString().Trim('_');
    }

    public static string Format(double score) => score.ToString("0.00", CultureInfo.InvariantCulture);

    private static bool IsSafe(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '_' or '.' or ':' or '+' or '=' or '(' or ')' or '/' or '-';
}
