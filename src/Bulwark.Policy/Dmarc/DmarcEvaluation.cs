using Bulwark.Policy.Dkim;
using Bulwark.Policy.Spf;

namespace Bulwark.Policy.Dmarc;

/// <summary>
/// The DMARC decision on a message (RFC 7489 sections 4.2 and 6.6): once the policy is discovered,
/// SPF has run, the DKIM signatures are verified and the From domain is known, this is a pure
/// function of them and of a sampling roll the caller draws.
/// </summary>
/// <remarks>
/// <para>Pass: SPF passed for a domain aligned with From (under aspf=), or any DKIM signature
/// passed for a d= aligned with it (under adkim=).</para>
/// <para>Temperror: no identifier passed aligned, but SPF or a DKIM signature ended in temperror
/// for a domain that aligns. Had the lookup worked, that identifier could have passed and made the
/// message pass; failing it, and refusing it under p=reject, would punish a sender for our DNS
/// trouble, so the caller defers instead (as Postfix answers a failed policy service with a
/// temporary error). A temperror for a domain that does not align is ignored: its outcome could
/// not have changed the result. A permerror counts as a failure: retrying will not change it.</para>
/// <para>Fail: otherwise. The policy applies when roll &lt; pct=; a message outside the sample gets
/// the policy below it (section 6.6.4: reject becomes quarantine, quarantine becomes none).</para>
/// </remarks>
public static class DmarcEvaluation
{
    /// <summary>
    /// Decides DMARC for one message.
    /// </summary>
    /// <param name="policy">The result of <see cref="DmarcDiscovery"/> for the From domain.</param>
    /// <param name="spf">The SPF result.</param>
    /// <param name="spfDomain">The domain SPF checked: the MAIL FROM domain, or the HELO domain for
    /// the null sender; null when SPF did not run.</param>
    /// <param name="dkim">Every DKIM signature of the message with its verification result (empty when unsigned).</param>
    /// <param name="psl">The Public Suffix List, for relaxed alignment.</param>
    /// <param name="roll">A number in 0..99 the caller draws uniformly at random for each message:
    /// the pct= sampling.</param>
    public static DmarcResult Evaluate(
        DmarcDiscoveryResult policy,
        SpfOutcome spf,
        string? spfDomain,
        IReadOnlyList<DkimSignatureResult> dkim,
        PublicSuffixList psl,
        int roll)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(dkim);
        ArgumentNullException.ThrowIfNull(psl);
        ArgumentOutOfRangeException.ThrowIfNegative(roll);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(roll, 99);
        var from = policy.FromDomain;
        if (policy.Status == DmarcDiscoveryStatus.TempError)
            return NoDecision(DmarcOutcome.TempError, from, $"{from} DMARC temperror: {policy.Reason}");
        if (policy.Status == DmarcDiscoveryStatus.NoPolicy || policy.Record is not { } record)
            return NoDecision(DmarcOutcome.None, from, $"{from} has no DMARC policy: {policy.Reason}");

        var isSubdomainPolicy = policy.IsOrganizationalDomainPolicy && record.SubdomainPolicy is not null;
        var requested = isSubdomainPolicy ? record.SubdomainPolicy!.Value : record.Policy;
        var aligned = AlignedPass(from, record, spf, spfDomain, dkim, psl, out var temporary);
        if (aligned is { } pass)
            return new DmarcResult(DmarcOutcome.Pass, from, pass, requested, isSubdomainPolicy, DmarcPolicy.None, false,
                policy.PolicyDomain, $"{from} DMARC pass: {Name(pass.Identifier)} aligned ({pass.Domain})");

        var policyText = $"{from} DMARC policy {(isSubdomainPolicy ? "sp" : "p")}={DmarcKeywords.Of(requested)}"
            + (policy.IsOrganizationalDomainPolicy ? $" at {policy.PolicyDomain}" : "");
        if (temporary is not null)
            return new DmarcResult(DmarcOutcome.TempError, from, null, requested, isSubdomainPolicy, DmarcPolicy.None, false,
                policy.PolicyDomain, $"{policyText}: temperror ({temporary}, which aligns)");

        var sampledOut = roll >= record.Percent;
        var disposition = sampledOut ? Downgrade(requested) : requested;
        var sample = sampledOut ? $" (pct={record.Percent}: sampled out, {DmarcKeywords.Of(disposition)} applied)" : "";
        return new DmarcResult(DmarcOutcome.Fail, from, null, requested, isSubdomainPolicy, disposition, sampledOut,
            policy.PolicyDomain, $"{policyText}{sample}: neither SPF nor DKIM aligned");
    }

    /// <summary>The same, with SPF as the MAIL phase found it (null when SPF did not run).</summary>
    public static DmarcResult Evaluate(
        DmarcDiscoveryResult policy,
        SpfResult? spf,
        IReadOnlyList<DkimSignatureResult> dkim,
        PublicSuffixList psl,
        int roll) =>
        Evaluate(policy, spf?.Result ?? SpfOutcome.None, spf?.Domain, dkim, psl, roll);

    /// <summary>The first aligned pass, DKIM before SPF (a signature survives forwarding, so it is
    /// the more telling one to report); when there is none, <paramref name="temporary"/> names an
    /// aligned identifier that ended in temperror, if any.</summary>
    private static DmarcAlignedIdentifier? AlignedPass(
        string from, DmarcRecord record, SpfOutcome spf, string? spfDomain,
        IReadOnlyList<DkimSignatureResult> dkim, PublicSuffixList psl, out string? temporary)
    {
        temporary = null;
        for (var i = 0; i < dkim.Count; i++)
        {
            var signature = dkim[i];
            if (signature.Result is not (DkimOutcome.Pass or DkimOutcome.TempError)) continue;
            if (!DmarcAlignment.IsAligned(from, signature.Domain, record.DkimAlignment, psl)) continue;
            var domain = DmarcDomains.Normalize(signature.Domain)!;
            if (signature.Result == DkimOutcome.Pass) return new DmarcAlignedIdentifier(DmarcIdentifier.Dkim, domain);
            temporary ??= $"DKIM temperror for d={domain}";
        }
        if (spf is SpfOutcome.Pass or SpfOutcome.TempError && DmarcAlignment.IsAligned(from, spfDomain, record.SpfAlignment, psl))
        {
            var domain = DmarcDomains.Normalize(spfDomain)!;
            if (spf == SpfOutcome.Pass) return new DmarcAlignedIdentifier(DmarcIdentifier.Spf, domain);
            temporary ??= $"SPF temperror for {domain}";
        }
        return null;
    }

    /// <summary>Section 6.6.4: the disposition for failing mail the pct= sample left out.</summary>
    public static DmarcPolicy Downgrade(DmarcPolicy policy) => policy switch
    {
        DmarcPolicy.Reject => DmarcPolicy.Quarantine,
        _ => DmarcPolicy.None,
    };

    private static DmarcResult NoDecision(DmarcOutcome outcome, string from, string reason) =>
        new(outcome, from, null, null, false, DmarcPolicy.None, false, null, reason);

    private static string Name(DmarcIdentifier identifier) => identifier == DmarcIdentifier.Dkim ? "DKIM" : "SPF";
}
