using System.Net;

namespace Bulwark.Policy.Dns;

/// <summary>What the MAIL FROM domain's own zone says about it as a mail domain.</summary>
public enum SenderDomainState
{
    /// <summary>It has an MX, or (no MX) an A/AAAA record: an implicit MX (RFC 5321 5.1).</summary>
    Exists,
    /// <summary>The name does not exist (NXDOMAIN).</summary>
    NxDomain,
    /// <summary>It publishes a null MX (RFC 7505): it accepts no mail, so it sends none either.</summary>
    NullMx,
    /// <summary>The name exists but has neither MX nor A/AAAA: replies to it cannot be delivered.</summary>
    NoMailRoute,
    /// <summary>A lookup timed out or the server failed: no conclusion now.</summary>
    TemporaryFailure,
    /// <summary>Not looked at: the null sender (bounces) has no domain; only SPF on HELO applies.</summary>
    NotChecked,
}

/// <summary>
/// Pure classification of the sender domain from DNS answers. The caller asks MX first and,
/// only when <see cref="NeedsAddressLookup"/> says so, A and AAAA (the implicit-MX case).
/// </summary>
public static class SenderDomainRules
{
    /// <summary>True when the MX answer alone cannot decide: the name exists without MX records.</summary>
    public static bool NeedsAddressLookup(DnsAnswer<MxRecord> mx) => mx.Status == DnsStatus.NoData;

    /// <summary>RFC 7505: exactly one MX, preference 0, exchange the root ("." or "" once the dot is trimmed).
    /// A null MX next to real MX records is a misconfiguration; the real ones win (mail can be delivered).</summary>
    public static bool IsNullMx(IReadOnlyList<MxRecord> records) =>
        records.Count == 1 && records[0].Preference == 0 && records[0].Exchange.Trim().TrimEnd('.').Length == 0;

    /// <param name="mx">The MX answer of the domain.</param>
    /// <param name="a">The A answer; only read when the MX answer was NoData.</param>
    /// <param name="aaaa">The AAAA answer; only read when the MX answer was NoData.</param>
    public static SenderDomainState Classify(DnsAnswer<MxRecord> mx, DnsAnswer<IPAddress>? a = null,
        DnsAnswer<IPAddress>? aaaa = null)
    {
        switch (mx.Status)
        {
            case DnsStatus.Ok:
                return IsNullMx(mx.Records) ? SenderDomainState.NullMx : SenderDomainState.Exists;
            case DnsStatus.NxDomain:
                return SenderDomainState.NxDomain;
            case DnsStatus.ServerFailure or DnsStatus.Timeout:
                return SenderDomainState.TemporaryFailure;
        }
        // NoData: the implicit MX. One address family with records is enough to receive mail.
        if (a?.Status == DnsStatus.Ok || aaaa?.Status == DnsStatus.Ok)
            return SenderDomainState.Exists;
        if (a is null || aaaa is null || a.IsTemporaryFailure || aaaa.IsTemporaryFailure)
            return SenderDomainState.TemporaryFailure;
        // The MX said the name exists; an NXDOMAIN now means it was removed in between.
        if (a.Status == DnsStatus.NxDomain || aaaa.Status == DnsStatus.NxDomain)
            return SenderDomainState.NxDomain;
        return SenderDomainState.NoMailRoute;
    }
}
