namespace Bulwark.Policy.Recipients;

/// <summary>One accepted domain as the configuration describes it.</summary>
/// <param name="RecipientsFile">The static list's path, or null for none.</param>
public sealed record DomainDirectorySource(string Name, string? RecipientsFile, bool CatchAll, CallAheadOptions CallAhead);

/// <summary>A domain's directory cannot be built; <see cref="DomainIndex"/> says which domain of
/// the configuration (its position in the list), the message says what is wrong.</summary>
public sealed class RecipientDirectoryError(int domainIndex, string message) : Exception(message)
{
    public int DomainIndex { get; } = domainIndex;
}

/// <summary>
/// Builds every domain's directory from the configuration and the static lists. A list that
/// names another domain's addresses is refused: it would otherwise be read as "no such user"
/// for every one of them. Reading the files is the caller's (this project does no I/O).
/// </summary>
public static class RecipientDirectoryBuilder
{
    /// <param name="readLines">The lines of a list file; whatever it throws is reported against
    /// the domain whose file it was.</param>
    public static RecipientDirectoryOptions Build(IReadOnlyList<DomainDirectorySource> domains, Func<string, IEnumerable<string>> readLines)
    {
        var result = new Dictionary<string, DomainDirectoryOptions>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < domains.Count; i++)
        {
            var domain = domains[i];
            result[domain.Name] = new DomainDirectoryOptions
            {
                StaticRecipients = domain.RecipientsFile is { } file ? LocalParts(i, domain.Name, file, readLines) : new HashSet<string>(StringComparer.Ordinal),
                CatchAll = domain.CatchAll,
                CallAhead = domain.CallAhead,
            };
        }
        return new RecipientDirectoryOptions { Domains = result };
    }

    private static IReadOnlySet<string> LocalParts(int index, string domain, string file, Func<string, IEnumerable<string>> readLines)
    {
        IReadOnlyDictionary<string, IReadOnlySet<string>> lists;
        try
        {
            lists = RecipientListFile.Parse(readLines(file), file);
        }
        catch (Exception e)
        {
            throw new RecipientDirectoryError(index, e.Message);
        }
        foreach (var listed in lists.Keys)
            if (!listed.Equals(domain, StringComparison.OrdinalIgnoreCase))
                throw new RecipientDirectoryError(index, $"'{file}' lists addresses of {listed}, which is not {domain}");
        return lists.TryGetValue(domain.ToLowerInvariant(), out var found) ? found : new HashSet<string>(StringComparer.Ordinal);
    }
}
