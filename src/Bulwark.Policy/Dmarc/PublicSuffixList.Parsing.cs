namespace Bulwark.Policy.Dmarc;

/// <summary>Reading the list's own format: one rule per line, read up to the first white space;
/// "//" starts a comment line; "*." a wildcard rule, "!" an exception rule.</summary>
public sealed partial class PublicSuffixList
{
    /// <summary>
    /// Builds the list from its lines (the caller reads the file, for instance Debian's
    /// /usr/share/publicsuffix/public_suffix_list.dat, so that this stays free of I/O).
    /// Rules may be written in Unicode or in A-labels. Lines that cannot be a rule (a name IDNA
    /// rejects, a wildcard other than the leftmost label, a single-label exception) are skipped.
    /// </summary>
    public static PublicSuffixList Parse(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var plain = new HashSet<string>(StringComparer.Ordinal);
        var wildcard = new HashSet<string>(StringComparer.Ordinal);
        var exception = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var rule = RuleText(line);
            if (rule.IsEmpty) continue;
            var target = plain;
            if (rule[0] == '!')
            {
                target = exception;
                rule = rule[1..];
            }
            else if (rule.StartsWith("*."))
            {
                target = wildcard;
                rule = rule[2..];
            }
            // "*" alone is the default rule, which always applies; a "*" anywhere else is not
            // used by the list and its meaning would be guesswork.
            if (rule.Contains('*')) continue;
            if (target == exception && !rule.Contains('.')) continue;
            if (Normal(rule) is { } name) target.Add(name);
        }
        return new PublicSuffixList(plain, wildcard, exception);
    }

    /// <summary>The rule on a line: the text up to the first white space, or empty for a blank
    /// line or a comment.</summary>
    private static ReadOnlySpan<char> RuleText(string? line)
    {
        if (line is null) return default;
        var text = line.AsSpan().TrimStart().TrimStart('\uFEFF');
        var end = text.IndexOfAny(' ', '\t');
        if (end >= 0) text = text[..end];
        text = text.TrimEnd();
        return text.StartsWith("//") ? default : text;
    }

    private static string? Normal(ReadOnlySpan<char> rule) =>
        DmarcDomains.IsNormal(rule) ? rule.ToString() : DmarcDomains.Normalize(rule.ToString());
}
