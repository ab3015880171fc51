using System.Text.Json.Serialization;
using Bulwark.Contracts.Serialization;
using Bulwark.Policy.Dmarc;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Spf;

namespace Bulwark.Contracts.DnsPolicy;

/// <summary>Every DnsPolicy message names its entity: a sender domain (lower case), or
/// "iprev:" + the client IP for reverse-DNS checks.</summary>
public interface IDnsPolicyMessage : IWireContract
{
    string Key { get; }
}

/// <summary>
/// Check the sender of one MAIL FROM. Reply <see cref="SenderCheck"/>.
/// </summary>
/// <param name="Domain">The MAIL FROM domain; for the null sender (MailFrom "") the HELO name,
/// the identity SPF then checks.</param>
/// <param name="ClientIp">The client's IP address, textual.</param>
/// <param name="Helo">The HELO/EHLO argument.</param>
/// <param name="MailFrom">The reverse-path without angle brackets; "" for the null sender.</param>
public sealed record CheckSender(
    [property: JsonPropertyName("domain")] string Domain,
    [property: JsonPropertyName("clientIp")] string ClientIp,
    [property: JsonPropertyName("helo")] string Helo,
    [property: JsonPropertyName("mailFrom")] string MailFrom) : IDnsPolicyMessage
{
    /// <summary>Derived from Domain, so not sent.</summary>
    [JsonIgnore]
    public string Key => Domain.TrimEnd('.').ToLowerInvariant();
}

/// <summary>The SPF result and the domain's state (<see cref="SenderDomainState.NotChecked"/> for
/// the null sender). Feed both to <see cref="MailFromPolicy.Decide"/>.</summary>
public sealed record SenderCheck(
    [property: JsonPropertyName("domain")] string Domain,
    [property: JsonPropertyName("spf")] SpfResult Spf,
    [property: JsonPropertyName("domainState")] SenderDomainState DomainState) : IWireContract;

/// <summary>Forward-confirmed reverse DNS of a client IP. Reply <see cref="ClientIpCheck"/>.
/// Build it with <see cref="For"/> so that the key is right.</summary>
public sealed record CheckClientIp(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("clientIp")] string ClientIp) : IDnsPolicyMessage
{
    public const string KeyPrefix = "iprev:";

    public static CheckClientIp For(string clientIp) => new(KeyPrefix + clientIp, clientIp);
}

/// <summary>The iprev result; PtrName is the confirmed name on a pass.</summary>
public sealed record ClientIpCheck(
    [property: JsonPropertyName("result")] IprevResult Result,
    [property: JsonPropertyName("ptrName")] string? PtrName) : IWireContract;

/// <summary>The DKIM key record of a signing domain's selector (the TXT record at
/// selector._domainkey.domain). Reply <see cref="DkimKeyAnswer"/>. Asked of the signing domain's
/// entity, so that the node's resolver cache serves repeated signatures.</summary>
public sealed record LookUpDkimKey(
    [property: JsonPropertyName("domain")] string Domain,
    [property: JsonPropertyName("selector")] string Selector) : IDnsPolicyMessage
{
    [JsonIgnore]
    public string Key => Domain.TrimEnd('.').ToLowerInvariant();

    /// <summary>The name the key is published at.</summary>
    [JsonIgnore]
    public string Name => $"{Selector}._domainkey.{Key}";
}

/// <summary>The key lookup's outcome: with Ok, the key record (its strings joined). RFC 6376
/// 3.6.2.2: several records at the name are a misconfiguration; the first that holds a key (p=)
/// is the one, else the first.</summary>
public sealed record DkimKeyAnswer(
    [property: JsonPropertyName("status")] DnsStatus Status,
    [property: JsonPropertyName("record")] string? Record) : IWireContract
{
    /// <summary>Until when the asker may reuse the answer (the record's TTL from the answer;
    /// null for a temporary failure, which is never kept).</summary>
    [JsonPropertyName("validUntil")]
    public DateTimeOffset? ValidUntil { get; init; }

    public static DkimKeyAnswer From(DnsAnswer<string> answer, DateTimeOffset now) => new(answer.Status,
        answer.Status != DnsStatus.Ok ? null : answer.Records.FirstOrDefault(r => r.Contains("p=", StringComparison.Ordinal)) ?? answer.Records.FirstOrDefault())
    {
        ValidUntil = answer.IsTemporaryFailure || answer.Ttl <= TimeSpan.Zero ? null : now + answer.Ttl,
    };
}

/// <summary>The DMARC policy that applies to mail whose header From is in
/// <paramref name="FromDomain"/> (RFC 7489 6.6.3: _dmarc at the domain, then at its
/// Organizational Domain). Reply <see cref="DmarcPolicyAnswer"/>. Asked of the From domain's
/// entity, which keeps the answer for the TTL of the records it came from.</summary>
public sealed record LookUpDmarcPolicy(
    [property: JsonPropertyName("fromDomain")] string FromDomain) : IDnsPolicyMessage
{
    [JsonIgnore]
    public string Key => FromDomain.TrimEnd('.').ToLowerInvariant();
}

/// <summary>How discovery ended: with Found, the record's text as published (the listener reads
/// it again, so the wire carries no parsed form to keep in step) and the domain it was found at.</summary>
public sealed record DmarcPolicyAnswer(
    [property: JsonPropertyName("status")] DmarcDiscoveryStatus Status,
    [property: JsonPropertyName("policyDomain")] string? PolicyDomain,
    [property: JsonPropertyName("record")] string? Record,
    [property: JsonPropertyName("reason")] string Reason) : IWireContract
{
    /// <summary>Until when the asker may reuse the answer: as long as the entity keeps it
    /// (null when it does not, as for a temperror).</summary>
    [JsonPropertyName("validUntil")]
    public DateTimeOffset? ValidUntil { get; init; }

    public static DmarcPolicyAnswer From(DmarcDiscoveryResult result, string? recordText) =>
        new(result.Status, result.PolicyDomain, result.Status == DmarcDiscoveryStatus.Found ? recordText : null, result.Reason);

    /// <summary>The discovery result for mail from <paramref name="fromDomain"/>. A record that
    /// no longer reads (it cannot happen for one the entity parsed) counts as no policy.</summary>
    public DmarcDiscoveryResult ToResult(string fromDomain)
    {
        var from = DmarcDomains.Normalize(fromDomain) ?? fromDomain;
        return Status switch
        {
            DmarcDiscoveryStatus.Found when PolicyDomain is not null && DmarcRecordParser.TryParse(Record, out var record, out _) =>
                DmarcDiscoveryResult.Found(from, record, PolicyDomain),
            DmarcDiscoveryStatus.TempError => DmarcDiscoveryResult.TempError(from, Reason),
            _ => DmarcDiscoveryResult.NoPolicy(from, Reason),
        };
    }
}
