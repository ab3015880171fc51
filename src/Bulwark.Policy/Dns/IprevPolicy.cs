using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Dns;

/// <summary>What to do when the client's reverse DNS is missing or not forward-confirmed.</summary>
public enum IprevAction
{
    /// <summary>No check at all (no PTR lookups).</summary>
    Off,
    /// <summary>Check and record in Authentication-Results, never refuse.</summary>
    RecordOnly,
    /// <summary>Refuse with 450 4.7.25 (the sender keeps retrying while its DNS gets fixed).</summary>
    SoftReject,
    /// <summary>Refuse with 550 5.7.25.</summary>
    Reject,
}

/// <summary>Forward-confirmed reverse DNS (RFC 8601 2.7.3, "iprev").</summary>
public enum IprevResult
{
    /// <summary>A PTR name of the IP has an A/AAAA record that is the IP.</summary>
    Pass,
    /// <summary>No PTR, or no PTR name resolves back to the IP.</summary>
    Fail,
    /// <summary>A lookup timed out or the server failed.</summary>
    TempError,
}

public static class IprevPolicy
{
    public const string Check = "client.iprev";

    /// <summary>
    /// Fail refuses by the action. A TempError is a DNS failure, never the client's fault and
    /// never a 5xx: with an enforcing action it gets 451 4.4.3 (the same as any other DNS
    /// timeout), not 4.7.25, because nothing is known to be wrong with the client's DNS yet.
    /// </summary>
    public static Verdict Decide(IprevResult result, IprevAction action)
    {
        if (action is IprevAction.Off or IprevAction.RecordOnly || result == IprevResult.Pass)
            return Verdict.Continue(Check);
        if (result == IprevResult.TempError)
            return Verdict.Refuse(DnsReplies.DnsTemporaryFailure, Check);
        return Verdict.Refuse(action == IprevAction.Reject ? DnsReplies.ReverseDnsHard : DnsReplies.ReverseDnsSoft, Check);
    }
}
