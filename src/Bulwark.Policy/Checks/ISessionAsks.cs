using Bulwark.Policy.Arc;
using Bulwark.Policy.Content;
using Bulwark.Policy.Dmarc;
using Bulwark.Policy.Dkim;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Recipients;
using Bulwark.Policy.Spf;

namespace Bulwark.Policy.Checks;

/// <summary>
/// Everything a check must wait for: the farm's sharded entities (IpReputation, DnsPolicy,
/// RecipientDirectory) and the node's content scanners. The listener implements it with asks
/// that time out; a check turns a timeout or a failure into a temporary verdict. One instance
/// per session.
/// </summary>
public interface ISessionAsks
{
    /// <summary>Counts this connection farm-wide and says whether the client may stay.</summary>
    ValueTask<Admission> AdmitAsync();

    /// <summary>The client's forward-confirmed reverse DNS. The first call starts the lookup (at
    /// connect, so that it overlaps EHLO); later calls get the same answer. Never throws: a
    /// failed lookup is <see cref="IprevResult.TempError"/>.</summary>
    Task<IprevAnswer> ReverseDnsAsync();

    /// <summary>SPF of the MAIL FROM identity and the sender domain's state.</summary>
    /// <param name="domain">The domain to ask about (the HELO name for the null sender).</param>
    /// <param name="mailFrom">The reverse-path without brackets; "" for the null sender.</param>
    ValueTask<SenderDns> SenderAsync(string domain, string mailFrom, string helo);

    /// <summary>Whether local-part@domain is a real recipient; localPart is lower case.</summary>
    ValueTask<RecipientExistence> RecipientAsync(string domain, string localPart);

    /// <summary>The DKIM signatures of the stored message, at most <paramref name="maxSignatures"/>,
    /// each verified with its domain's published key. A key lookup that fails is that signature's
    /// temperror, never an exception.</summary>
    Task<DkimFindings> VerifyDkimAsync(Func<Stream> openMessage, int maxSignatures);

    /// <summary>The stored message's From header fields, as DMARC reads them.</summary>
    Task<FromHeader> ReadFromAsync(Func<Stream> openMessage);

    /// <summary>The stored message's ARC chain, each seal verified with its sealer's published
    /// key. A key lookup that fails is the chain's temperror, never an exception.</summary>
    Task<ArcFindings> VerifyArcAsync(Func<Stream> openMessage);

    /// <summary>The DMARC policy for mail from <paramref name="fromDomain"/> (the DnsPolicy
    /// entity's discovery, cached there by the records' TTLs).</summary>
    ValueTask<DmarcDiscoveryResult> DmarcPolicyAsync(string fromDomain);

    /// <summary>A number from 0 to 99, drawn uniformly for each message: DMARC's pct= sample.</summary>
    int DrawPercent();

    /// <summary>Virus and spam scans of the stored message. Never throws for a scanner's failure.</summary>
    Task<ScanReport> ScanAsync(Func<Stream> openMessage, ScanContext context);
}

/// <summary>What IpReputation says of a new connection.</summary>
public enum Admission
{
    Admitted,
    /// <summary>The IP is blocked farm-wide.</summary>
    Blocked,
    /// <summary>Too many connections from the IP across the farm.</summary>
    Busy,
}

/// <summary>DnsPolicy's answer for one MAIL FROM.</summary>
public sealed record SenderDns(SpfResult Spf, SenderDomainState Domain);
