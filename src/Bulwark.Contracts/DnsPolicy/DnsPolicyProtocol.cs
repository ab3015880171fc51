using System.Text.Json.Serialization;
using Bulwark.Contracts.Serialization;
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
    public static DkimKeyAnswer From(DnsAnswer<string> answer) => new(answer.Status,
        answer.Status != DnsStatus.Ok ? null : answer.Records.FirstOrDefault(r => r.Contains("p=", StringComparison.Ordinal)) ?? answer.Records.FirstOrDefault());
}
