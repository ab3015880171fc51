using Bulwark.Policy.Dns;

namespace Bulwark.Policy.Dmarc;

/// <summary>
/// Policy discovery (RFC 7489 section 6.6.3) as pure steps: the caller makes the DNS queries.
/// It calls <see cref="Next"/> with the answers it has so far (none at first), asks TXT at the
/// name it is given, appends the answer, and calls again until the step is done:
/// <code>
/// var answers = new List&lt;DnsAnswer&lt;string&gt;&gt;(2);
/// var step = DmarcDiscovery.Next(fromDomain, psl, answers);
/// while (!step.IsDone)
/// {
///     answers.Add(await dns.TxtAsync(step.QueryName, ct));
///     step = DmarcDiscovery.Next(fromDomain, psl, answers);
/// }
/// var policy = step.Result;
/// </code>
/// There are at most two queries: "_dmarc." + the From domain, then, only when that name has no
/// DMARC record at all, "_dmarc." + its Organizational Domain (when that differs). Several
/// records or an unusable one at the first name end discovery without a policy (step 5).
/// A temporary DNS failure at either name ends it with <see cref="DmarcDiscoveryStatus.TempError"/>.
/// </summary>
public static class DmarcDiscovery
{
    public const string Prefix = "_dmarc.";

    /// <summary>The next step after <paramref name="answers"/> (the TXT answers for the names the
    /// earlier steps gave, in order). <paramref name="fromDomain"/> is the RFC 5322.From domain, in
    /// any case, Unicode or A-labels.</summary>
    public static DmarcDiscoveryStep Next(string fromDomain, PublicSuffixList psl, IReadOnlyList<DnsAnswer<string>> answers)
    {
        ArgumentNullException.ThrowIfNull(psl);
        ArgumentNullException.ThrowIfNull(answers);
        var from = DmarcDomains.Normalize(fromDomain);
        if (from is null)
        {
            var shown = DmarcText.Printable(fromDomain);
            return Done(DmarcDiscoveryResult.NoPolicy(shown, $"'{shown}' is not a usable domain name"), answers, 0);
        }

        // A _dmarc name too long for DNS cannot hold a record: it is not asked, and counts as
        // a name without one.
        var used = 0;
        if (Fits(from))
        {
            if (answers.Count == 0) return DmarcDiscoveryStep.Query(Prefix + from);
            if (Look(from, from, answers[0]) is { } first) return Done(first, answers, 1);
            used = 1;
        }

        var org = psl.OrganizationalDomain(from);
        if (org is null)
            return Done(DmarcDiscoveryResult.NoPolicy(from,
                $"no DMARC record at {Prefix}{from}, and {from} is a public suffix (no Organizational Domain)"), answers, used);
        if (org == from || !Fits(org))
            return Done(DmarcDiscoveryResult.NoPolicy(from, $"no DMARC record at {Prefix}{from}"), answers, used);
        if (answers.Count == used) return DmarcDiscoveryStep.Query(Prefix + org);
        return Done(Look(from, org, answers[used])
            ?? DmarcDiscoveryResult.NoPolicy(from, $"no DMARC record at {Prefix}{from} nor at {Prefix}{org}"), answers, used + 1);
    }

    private static bool Fits(string domain) => Prefix.Length + domain.Length <= DmarcDomains.MaxLength;

    /// <summary>The end of discovery that the answer for <paramref name="domain"/> means, or null
    /// when the name has no DMARC record and discovery may go on.</summary>
    private static DmarcDiscoveryResult? Look(string from, string domain, DnsAnswer<string> answer)
    {
        if (answer.IsTemporaryFailure)
            return DmarcDiscoveryResult.TempError(from, $"DNS lookup of {Prefix}{domain} failed ({answer.Status})");
        if (answer.Status != DnsStatus.Ok) return null; // NXDOMAIN and no data: no record here
        var selection = DmarcSelection.Choose(answer.Records);
        return selection.Kind switch
        {
            DmarcSelectionKind.NoRecord => null,
            DmarcSelectionKind.Found => DmarcDiscoveryResult.Found(from, selection.Record!, domain),
            _ => DmarcDiscoveryResult.NoPolicy(from, $"{selection.Problem} at {Prefix}{domain}"),
        };
    }

    /// <summary>The end, after checking that the caller gave no more answers than were asked for
    /// (more would mean its answers and the names are out of step).</summary>
    private static DmarcDiscoveryStep Done(DmarcDiscoveryResult result, IReadOnlyList<DnsAnswer<string>> answers, int used)
    {
        if (answers.Count > used)
            throw new ArgumentException($"{answers.Count} answers given where discovery asked {used} queries", nameof(answers));
        return DmarcDiscoveryStep.Done(result);
    }
}
