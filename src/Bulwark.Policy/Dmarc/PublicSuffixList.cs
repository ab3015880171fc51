namespace Bulwark.Policy.Dmarc;

/// <summary>
/// The Public Suffix List, for the Organizational Domain of RFC 7489 section 3.2. Built once from
/// the list's lines (<see cref="Parse"/>); immutable afterwards and safe to share between threads.
/// Both the ICANN and the PRIVATE sections count, as in OpenDMARC.
/// </summary>
/// <remarks>
/// The rules are kept in three hash sets (plain, wildcard, exception), all in normal form
/// (<see cref="DmarcDomains"/>), so a lookup is one probe per label of the domain, and a probe is
/// a span lookup that allocates nothing.
/// </remarks>
public sealed partial class PublicSuffixList
{
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _plain;
    /// <summary>"*.ck" is kept as "ck": the rule matches any one label in front of it.</summary>
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _wildcard;
    /// <summary>"!www.ck" is kept as "www.ck".</summary>
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _exception;

    private PublicSuffixList(HashSet<string> plain, HashSet<string> wildcard, HashSet<string> exception)
    {
        _plain = plain.GetAlternateLookup<ReadOnlySpan<char>>();
        _wildcard = wildcard.GetAlternateLookup<ReadOnlySpan<char>>();
        _exception = exception.GetAlternateLookup<ReadOnlySpan<char>>();
        RuleCount = plain.Count + wildcard.Count + exception.Count;
    }

    /// <summary>How many distinct rules were read (duplicates and unusable lines not counted).</summary>
    public int RuleCount { get; }

    /// <summary>
    /// The public suffix of <paramref name="domain"/> in normal form (lower case, A-labels): the
    /// longest matching rule, an exception rule winning over all others and standing for itself
    /// minus its leftmost label, and the default rule "*" (the last label) when nothing matches.
    /// Null when the domain is not a usable name.
    /// </summary>
    public string? PublicSuffix(string domain)
    {
        var normal = DmarcDomains.Normalize(domain);
        return normal is null ? null : normal[PublicSuffixStart(normal)..];
    }

    /// <summary>True when <paramref name="domain"/> is itself a public suffix ("co.uk", "com",
    /// or any single label): it then has no Organizational Domain.</summary>
    public bool IsPublicSuffix(string domain)
    {
        var normal = DmarcDomains.Normalize(domain);
        return normal is not null && PublicSuffixStart(normal) == 0;
    }

    /// <summary>
    /// The Organizational Domain (RFC 7489 section 3.2) of <paramref name="domain"/>, in normal form:
    /// its public suffix plus one label ("mail.example.co.uk" gives "example.co.uk").
    /// Null when the domain is itself a public suffix (such as "co.uk" or "com": the RFC's
    /// algorithm has no label left to add) or not a usable name.
    /// </summary>
    public string? OrganizationalDomain(string domain)
    {
        var normal = DmarcDomains.Normalize(domain);
        if (normal is null) return null;
        var start = OrganizationalDomainStart(normal);
        return start < 0 ? null : start == 0 ? normal : normal[start..];
    }

    /// <summary>Where the Organizational Domain begins in a name already in normal form, or -1
    /// when the name is a public suffix. Lets alignment compare without allocating.</summary>
    internal int OrganizationalDomainStart(ReadOnlySpan<char> normal)
    {
        var suffix = PublicSuffixStart(normal);
        if (suffix == 0) return -1;
        // The label in front of the suffix: from after the dot before it (or the start).
        return normal[..(suffix - 1)].LastIndexOf('.') + 1;
    }

    /// <summary>Where the public suffix begins in a name in normal form.</summary>
    private int PublicSuffixStart(ReadOnlySpan<char> normal)
    {
        var longest = -1;
        var previous = -1;
        for (var start = 0; start >= 0; previous = start, start = NextLabel(normal, start))
        {
            var tail = normal[start..];
            // An exception rule prevails over every other match (the list's algorithm, step 2).
            if (_exception.Contains(tail)) return start + tail.IndexOf('.') + 1;
            // Scanning from the longest tail, the first plain or wildcard match is the longest
            // rule; a wildcard at this tail covers one more label than a plain rule here.
            if (longest >= 0) continue;
            if (previous >= 0 && _wildcard.Contains(tail)) longest = previous;
            else if (_plain.Contains(tail)) longest = start;
        }
        return longest >= 0 ? longest : normal.LastIndexOf('.') + 1;
    }

    private static int NextLabel(ReadOnlySpan<char> name, int start)
    {
        var dot = name[start..].IndexOf('.');
        return dot < 0 ? -1 : start + dot + 1;
    }
}
