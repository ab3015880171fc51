namespace Bulwark.Policy.Recipients;

/// <summary>
/// Reads the static recipient list: one address per line, '#' starts a comment line, blank
/// lines are ignored (the caller reads the file). A bad line fails the whole load with its line number: a typo must not
/// silently turn a real mailbox into "550 no such user".
/// </summary>
public static class RecipientListFile
{
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Parse(IEnumerable<string> lines, string source = "recipients")
    {
        var result = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
                continue;
            var at = line.LastIndexOf('@');
            if (at <= 0 || at == line.Length - 1 || line.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>'))
                throw new FormatException($"{source}:{number}: not an address: '{raw}'");
            var local = line[..at].ToLowerInvariant();
            var domain = line[(at + 1)..].TrimEnd('.').ToLowerInvariant();
            if (domain.Length == 0 || domain.Contains('@') || domain.StartsWith('.') || domain.Contains(".."))
                throw new FormatException($"{source}:{number}: bad domain in '{raw}'");
            if (!result.TryGetValue(domain, out var set))
                result[domain] = set = new HashSet<string>(StringComparer.Ordinal);
            set.Add(local);
        }
        return result.ToDictionary(kv => kv.Key, kv => (IReadOnlySet<string>)kv.Value, StringComparer.Ordinal);
    }
}
