using System.Net;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Spf;

namespace Bulwark.Dns;

/// <summary>
/// The iprev method (RFC 8601 2.7.3): the client IP's PTR names, then for each (at most
/// <see cref="MaxNames"/>, as the SPF ptr limit) its A or AAAA records; pass when one of them is
/// the IP. No PTR (NXDOMAIN or none) is a fail; a timeout or SERVFAIL that could have changed the
/// outcome is a temperror (a confirmed name still passes even if another name's lookup failed).
/// </summary>
public static class ForwardConfirmedReverseDns
{
    public const int MaxNames = 10;

    public sealed record Outcome(IprevResult Result, string? PtrName);

    public static async Task<Outcome> CheckAsync(IDnsResolver dns, IPAddress ip, CancellationToken ct)
    {
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        var ptr = await dns.PtrAsync(ip, ct).ConfigureAwait(false);
        if (ptr.IsTemporaryFailure) return new Outcome(IprevResult.TempError, null);
        if (ptr.Status != DnsStatus.Ok || ptr.Records.Count == 0) return new Outcome(IprevResult.Fail, null);

        var names = ptr.Records.Where(n => n.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).Take(MaxNames).ToArray();
        var lookups = names.Select(n => dns.AddressAsync(n, ip.AddressFamily, ct)).ToArray();
        var answers = await Task.WhenAll(lookups).ConfigureAwait(false);
        for (var i = 0; i < names.Length; i++)
        {
            if (answers[i].Status == DnsStatus.Ok && answers[i].Records.Any(a => a.Equals(ip)))
                return new Outcome(IprevResult.Pass, names[i]);
        }
        return answers.Any(a => a.IsTemporaryFailure)
            ? new Outcome(IprevResult.TempError, null)
            : new Outcome(IprevResult.Fail, null);
    }
}
