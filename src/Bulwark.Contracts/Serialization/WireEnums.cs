using System.Text.Json.Serialization;
using Bulwark.Policy.Dmarc;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Recipients;
using Bulwark.Policy.Spf;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Contracts.Serialization;

/// <summary>
/// The wire name of every value of the Bulwark.Policy enums that the contracts carry. A new
/// member needs a new name here (the serialization tests send every value); a name, once
/// shipped, is never changed.
/// </summary>
internal static class WireEnums
{
    public static IEnumerable<JsonConverter> Converters =>
    [
        new FixedNameEnumConverter<Evidence>(
            (Evidence.None, "none"),
            (Evidence.UnknownRecipient, "unknown-recipient"),
            (Evidence.RelayAttempt, "relay-attempt"),
            (Evidence.ProtocolAbuse, "protocol-abuse"),
            (Evidence.SpfFail, "spf-fail"),
            (Evidence.NullMxSender, "null-mx-sender"),
            (Evidence.Virus, "virus"),
            (Evidence.EarlyTalker, "early-talker"),
            (Evidence.DmarcReject, "dmarc-reject")),
        new FixedNameEnumConverter<RecipientExistence>(
            (RecipientExistence.Exists, "exists"),
            (RecipientExistence.Unknown, "unknown"),
            (RecipientExistence.TemporaryFailure, "temporary-failure")),
        new FixedNameEnumConverter<SpfOutcome>(
            (SpfOutcome.None, "none"),
            (SpfOutcome.Neutral, "neutral"),
            (SpfOutcome.Pass, "pass"),
            (SpfOutcome.Fail, "fail"),
            (SpfOutcome.SoftFail, "softfail"),
            (SpfOutcome.TempError, "temperror"),
            (SpfOutcome.PermError, "permerror")),
        new FixedNameEnumConverter<SenderDomainState>(
            (SenderDomainState.Exists, "exists"),
            (SenderDomainState.NxDomain, "nxdomain"),
            (SenderDomainState.NullMx, "null-mx"),
            (SenderDomainState.NoMailRoute, "no-mail-route"),
            (SenderDomainState.TemporaryFailure, "temporary-failure"),
            (SenderDomainState.NotChecked, "not-checked")),
        new FixedNameEnumConverter<DnsStatus>(
            (DnsStatus.Ok, "ok"),
            (DnsStatus.NxDomain, "nxdomain"),
            (DnsStatus.NoData, "nodata"),
            (DnsStatus.ServerFailure, "server-failure"),
            (DnsStatus.Timeout, "timeout")),
        new FixedNameEnumConverter<IprevResult>(
            (IprevResult.Pass, "pass"),
            (IprevResult.Fail, "fail"),
            (IprevResult.TempError, "temperror")),
        new FixedNameEnumConverter<DmarcDiscoveryStatus>(
            (DmarcDiscoveryStatus.Found, "found"),
            (DmarcDiscoveryStatus.NoPolicy, "no-policy"),
            (DmarcDiscoveryStatus.TempError, "temperror")),
    ];
}
