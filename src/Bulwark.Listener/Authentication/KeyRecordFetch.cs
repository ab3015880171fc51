using Bulwark.Contracts.DnsPolicy;
using Bulwark.Policy.Dkim;
using Bulwark.Policy.Dns;

namespace Bulwark.Listener.Authentication;

/// <summary>
/// A selector's key record as the DnsPolicy entity answers it, for DKIM and ARC alike: the
/// record, or the outcome its absence means for the signature (no key published: permerror;
/// DNS failure or an ask that timed out: temperror, which the sender's next try may not meet).
/// </summary>
internal static class KeyRecordFetch
{
    public readonly record struct Fetched(string? Record, DkimOutcome Outcome, string? Reason);

    public static async Task<Fetched> FetchAsync(Func<string, string, Task<DkimKeyAnswer>> lookUpKey, string domain, string selector)
    {
        DkimKeyAnswer answer;
        try
        {
            answer = await lookUpKey(domain, selector);
        }
        catch (Exception e)
        {
            return new Fetched(null, DkimOutcome.TempError, $"key lookup failed: {e.Message}");
        }
        return answer.Status switch
        {
            DnsStatus.NxDomain or DnsStatus.NoData => new Fetched(null, DkimOutcome.PermError, $"no key published at {selector}._domainkey.{domain}"),
            not DnsStatus.Ok => new Fetched(null, DkimOutcome.TempError, $"key lookup for {selector}._domainkey.{domain}: {answer.Status}"),
            _ when answer.Record is not { } record || !record.Contains("p=", StringComparison.Ordinal) =>
                new Fetched(null, DkimOutcome.PermError, "no key record at the selector"),
            _ => new Fetched(answer.Record, DkimOutcome.Pass, null),
        };
    }
}
