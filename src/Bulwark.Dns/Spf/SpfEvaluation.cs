using Bulwark.Policy.Dns;
using Bulwark.Dns;
using Bulwark.Policy.Spf;

namespace Bulwark.Dns.Spf;

/// <summary>
/// One check_host() run: the record walk of RFC 7208 sections 4.4 to 6, with the lookup and void
/// counters shared across every include and redirect of the run (section 4.6.4).
/// </summary>
internal sealed partial class SpfEvaluation(IDnsResolver dns, SpfOptions options, MacroContext context, CancellationToken ct)
{
    private int _lookups;
    private int _voids;

    /// <summary>check_host() for <paramref name="domain"/>. Returns none/neutral/pass/fail/softfail;
    /// permerror and temperror are thrown as <see cref="SpfAbort"/>.</summary>
    public async Task<SpfResult> CheckAsync(string domain, bool wantExplanation)
    {
        // RFC 7208 4.3: a malformed or single-label domain has no policy.
        if (!DomainNames.IsValidQueryName(domain))
            return new SpfResult(SpfOutcome.None, domain, Problem: $"'{domain}' is not a valid domain name");

        var record = await FindRecordAsync(domain).ConfigureAwait(false);
        if (record is null)
            return new SpfResult(SpfOutcome.None, domain, Problem: $"no SPF record at {domain}");
        if (!RecordParser.TryParse(record, out var spf, out var problem))
            throw SpfAbort.Perm($"{domain}: {problem}");

        foreach (var mechanism in spf.Mechanisms)
        {
            if (mechanism.CausesLookup) CountLookup(mechanism.Text);
            if (!await MatchesAsync(mechanism, domain).ConfigureAwait(false)) continue;
            var outcome = mechanism.Qualifier switch
            {
                SpfQualifier.Pass => SpfOutcome.Pass,
                SpfQualifier.Fail => SpfOutcome.Fail,
                SpfQualifier.SoftFail => SpfOutcome.SoftFail,
                _ => SpfOutcome.Neutral,
            };
            var explanation = outcome == SpfOutcome.Fail && wantExplanation
                ? await ExplainAsync(spf.Explanation, domain).ConfigureAwait(false)
                : null;
            return new SpfResult(outcome, domain, explanation, mechanism.Text);
        }

        // RFC 7208 6.1: redirect applies only when no mechanism matched (an "all" always matches).
        if (spf.Redirect is { } redirect)
        {
            CountLookup("redirect=" + redirect);
            var target = await ExpandDomainAsync(redirect, domain).ConfigureAwait(false);
            // The target's own exp= (not ours) explains its fail: its whole result is returned.
            var result = target is null
                ? new SpfResult(SpfOutcome.None, redirect)
                : await CheckAsync(target, wantExplanation).ConfigureAwait(false);
            if (result.Result == SpfOutcome.None)
                throw SpfAbort.Perm($"redirect={redirect}: target has no SPF record");
            return result;
        }
        return new SpfResult(SpfOutcome.Neutral, domain);
    }

    /// <summary>RFC 7208 4.4 / 4.5: exactly one "v=spf1" TXT record (type SPF is not consulted).</summary>
    private async Task<string?> FindRecordAsync(string domain)
    {
        var answer = await dns.TxtAsync(domain, ct).ConfigureAwait(false);
        if (answer.IsTemporaryFailure) throw SpfAbort.Temp($"TXT lookup of {domain}: {answer.Status}");
        if (answer.Status != DnsStatus.Ok) return null;
        string? found = null;
        foreach (var txt in answer.Records)
        {
            if (!RecordParser.IsSpfRecord(txt)) continue;
            if (found is not null) throw SpfAbort.Perm($"{domain} publishes more than one SPF record");
            found = txt;
        }
        return found;
    }

    private void CountLookup(string term)
    {
        if (++_lookups > options.LookupLimit)
            throw SpfAbort.Perm($"more than {options.LookupLimit} DNS-querying terms (at '{term}')");
    }

    /// <summary>RFC 7208 4.6.4: NXDOMAIN or an empty answer is a "void lookup".</summary>
    private void CountVoid(string name)
    {
        if (++_voids > options.VoidLookupLimit)
            throw SpfAbort.Perm($"more than {options.VoidLookupLimit} void DNS lookups (at {name})");
    }

    /// <summary>RFC 7208 6.2: any failure on the way to the explanation yields the default one.</summary>
    private async Task<string?> ExplainAsync(string? expSpec, string domain)
    {
        if (expSpec is null) return options.DefaultExplanation;
        try
        {
            var name = await ExpandDomainAsync(expSpec, domain).ConfigureAwait(false);
            if (name is null) return options.DefaultExplanation;
            var answer = await dns.TxtAsync(name, ct).ConfigureAwait(false);
            if (answer.Status != DnsStatus.Ok || answer.Records.Count != 1) return options.DefaultExplanation;
            var text = answer.Records[0];
            var ctx = await ContextForAsync(text, domain).ConfigureAwait(false);
            return MacroExpander.TryExpand(text, ctx, MacroScope.Explanation, out var expanded, out _)
                ? expanded
                : options.DefaultExplanation;
        }
        catch (SpfAbort)
        {
            return options.DefaultExplanation;
        }
    }

    /// <summary>Expands a domain-spec for the current <paramref name="domain"/>: null when the result is
    /// not a usable name (the mechanism then does not match). A bad macro is a permerror.</summary>
    private async Task<string?> ExpandDomainAsync(string spec, string domain)
    {
        var ctx = await ContextForAsync(spec, domain).ConfigureAwait(false);
        if (!MacroExpander.TryExpand(spec, ctx, MacroScope.DomainSpec, out var expanded, out var problem))
            throw SpfAbort.Perm(problem!);
        var name = DomainNames.Truncate(expanded);
        return DomainNames.IsValidQueryName(name) ? name : null;
    }

    private async Task<MacroContext> ContextForAsync(string text, string domain)
    {
        var ctx = ReferenceEquals(context.Domain, domain) ? context : context with { Domain = domain };
        return MacroExpander.UsesValidatedName(text)
            ? ctx with { ValidatedName = await ValidatedNameAsync(domain).ConfigureAwait(false) }
            : ctx;
    }
}
