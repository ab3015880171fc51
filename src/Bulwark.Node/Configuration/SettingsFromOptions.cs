using System.Net;
using Bulwark.Listener.Protocol;
using Bulwark.Node.Configuration.Binding;
using Bulwark.Node.Configuration.Conversion;
using Bulwark.Policy.Content;
using Bulwark.Policy.Dmarc;
using Bulwark.Policy.Sessions;
using Bulwark.Admin.Http;

namespace Bulwark.Node.Configuration;

/// <summary>
/// Turns validated <see cref="BulwarkOptions"/> into the typed <see cref="BulwarkSettings"/> the
/// node reads: seconds become durations, names become enums, lists become networks, text is
/// trimmed, and relative paths are resolved against the directory the node was started in.
/// Only called once every validator passed, so nothing here reports a problem.
/// </summary>
public static class SettingsFromOptions
{
    public static BulwarkSettings Create(BulwarkOptions options)
    {
        var dataDirectory = Path.GetFullPath(options.Node.DataDirectory.Trim());
        var roles = options.Node.Roles is { Count: > 0 } given ? given.ToArray() : NodeOptions.AllRoles.ToArray();
        var provider = Choices.Provider.Parse(options.Persistence.Provider);
        var connection = options.Persistence.ConnectionString.Trim();
        if (connection.Length == 0 && provider == PersistenceProvider.Sqlite)
            connection = $"Data Source={Path.Combine(dataDirectory, "bulwark.db")}";
        var token = options.Admin.Token.Trim();
        return new BulwarkSettings(
            new NodeSettings(options.Node.Hostname.Trim(), dataDirectory, roles),
            new ClusterSettings(options.Cluster.Host.Trim(), options.Cluster.Port, List(options.Cluster.SeedNodes)),
            Smtp(options.Smtp),
            options.Domains.Values.Select(Domain).ToArray(),
            Reputation(options.Reputation),
            Delivery(options.Delivery, dataDirectory),
            new PersistenceSettings(provider, connection),
            new AdminSettings(IPAddress.Parse(options.Admin.Address.Trim()), options.Admin.Port, token.Length == 0 ? null : token),
            Dns(options.Dns),
            Content(options.Content, dataDirectory));
    }

    private static SmtpSettings Smtp(SmtpOptions smtp)
    {
        var limits = new SessionLimits
        {
            MaxMessageBytes = smtp.MaxMessageBytes,
            MaxRecipients = smtp.MaxRecipients,
            MaxCommandLineBytes = smtp.MaxCommandLineBytes,
            MaxDataLineBytes = smtp.MaxDataLineBytes,
            MaxErrors = smtp.MaxErrors,
        };
        var timeouts = new SmtpTimeouts
        {
            Command = Seconds(smtp.CommandTimeoutSeconds),
            DataBlock = Seconds(smtp.DataBlockTimeoutSeconds),
            DataTermination = Seconds(smtp.DataTimeoutSeconds),
            TlsHandshake = Seconds(smtp.Tls.HandshakeTimeoutSeconds),
        };
        var tls = smtp.Tls;
        return new SmtpSettings(IPAddress.Parse(smtp.Address.Trim()), smtp.Port, smtp.MaxConnections, limits, timeouts, Seconds(smtp.AskTimeoutSeconds))
        {
            DrainTimeout = Seconds(smtp.DrainSeconds),
            Pregreet = new PregreetOptions
            {
                Pause = Seconds(smtp.PregreetSeconds),
                SkipNetworks = CidrList.Parse(smtp.PregreetSkipNetworks),
                MultilineBanner = smtp.PregreetMultilineBanner,
            },
            TrustedProxies = CidrList.Parse(smtp.TrustedProxies),
            ProxyHeaderTimeout = Seconds(smtp.ProxyHeaderTimeoutSeconds),
            Tls = tls.CertificateFile.Trim().Length == 0
                ? null
                : new TlsSettings(tls.CertificateFile.Trim(), tls.KeyFile.Trim(), Seconds(tls.ReloadCheckSeconds)),
            LocalRecipientAnswers = smtp.LocalRecipientAnswers,
            RequireTlsFromDomains = List(tls.RequireFromDomains).Select(d => d.Trim().TrimEnd('.').ToLowerInvariant())
                .ToHashSet(StringComparer.OrdinalIgnoreCase),
        };
    }

    private static DomainSettings Domain(DomainOptions domain)
    {
        var file = domain.RecipientsFile.Trim();
        var callAhead = domain.CallAhead;
        return new DomainSettings(domain.Name.Trim().ToLowerInvariant(), file.Length > 0 ? Path.GetFullPath(file) : null, domain.CatchAll,
            new CallAheadSettings(callAhead.Enabled, callAhead.Host.Trim(), callAhead.Port, Seconds(callAhead.PositiveTtlSeconds),
                Seconds(callAhead.NegativeTtlSeconds), Seconds(callAhead.TimeoutSeconds)))
        {
            Dmarc = domain.Dmarc.Trim().Length > 0 ? Choices.DomainDmarc.Parse(domain.Dmarc) : null,
            DmarcQuarantine = Choices.DmarcQuarantine.Parse(domain.DmarcQuarantine),
        };
    }

    private static ReputationSettings Reputation(ReputationOptions reputation) => new(
        reputation.Enabled,
        reputation.StrikeThreshold,
        Seconds(reputation.StrikeWindowSeconds),
        Seconds(reputation.BaseBlockSeconds),
        Seconds(reputation.MaxBlockSeconds),
        Seconds(reputation.OffenceMemorySeconds),
        reputation.MaxConnectionsPerIp,
        List(reputation.Allowlist));

    private static DeliverySettings Delivery(DeliveryOptions delivery, string dataDirectory)
    {
        var nextHop = delivery.NextHop;
        return new DeliverySettings(
            new NextHopSettings(nextHop.Host.Trim(), nextHop.Port, Seconds(nextHop.TimeoutSeconds))
            {
                // One idle session per concurrent delivery by default: a smaller pool closes and
                // reopens sessions under load (20 deliveries on a pool of 8: a new session for
                // every 5-6 messages, each a connect, greeting and EHLO).
                PoolSize = nextHop.PoolSize ?? delivery.MaxConcurrent,
                IdleTimeout = Seconds(nextHop.IdleTimeoutSeconds),
                MaxConnectionAge = Seconds(nextHop.MaxConnectionAgeSeconds),
                MaxMessagesPerConnection = nextHop.MaxMessagesPerConnection,
            },
            Path.Combine(dataDirectory, "maildir"),
            Path.Combine(dataDirectory, "spool"),
            delivery.MaxConcurrent,
            Seconds(delivery.InitialRetrySeconds),
            Seconds(delivery.MaxRetrySeconds),
            Seconds(delivery.MaxAgeSeconds))
        {
            Spool = Choices.Spool.Parse(delivery.Spool),
        };
    }

    private static DnsSettings Dns(DnsOptions dns) => new(
        dns.Enabled,
        dns.NameServers is { Count: > 0 } servers ? servers.ToArray() : ["127.0.0.1:53"],
        Seconds(dns.TimeoutSeconds),
        dns.Retries,
        dns.CacheMaxEntries,
        // Not given: loopback; given empty: every client is checked.
        dns.TrustedNetworks?.ToArray() ?? ["127.0.0.0/8", "::1/128"],
        dns.AcceptSpfPermError,
        Choices.Iprev.Parse(dns.Iprev))
    {
        DkimMaxSignatures = dns.DkimMaxSignatures,
        Dmarc = Choices.Dmarc.Parse(dns.Dmarc),
        DmarcTrustedArcSealers = (dns.DmarcTrustedArcSealers ?? []).Select(d => d.Trim().TrimEnd('.').ToLowerInvariant())
            .Where(d => d.Length > 0).ToArray(),
        PublicSuffixList = dns.PublicSuffixList.Trim(),
    };

    private static ContentSettings Content(ContentOptions content, string dataDirectory)
    {
        var clamd = content.Clamd.Trim();
        var rspamd = content.Rspamd.Trim();
        var policy = new ContentPolicy
        {
            Default = Thresholds(content.Spam),
            PerDomain = ByKey(content.Domains, entry => entry.Name),
            PerRecipient = ByKey(content.Recipients, entry => entry.Address),
            FailOpenSpam = content.FailOpenSpam,
        };
        return new ContentSettings(
            clamd.Length > 0 ? clamd : null,
            Seconds(content.ClamdTimeoutSeconds),
            rspamd.Length > 0 ? rspamd : null,
            Seconds(content.RspamdTimeoutSeconds),
            content.BreakerFailures,
            Seconds(content.BreakerCoolDownSeconds),
            policy,
            Path.Combine(dataDirectory, "quarantine"),
            Seconds(content.QuarantineRetentionSeconds));
    }

    /// <summary>Later entries for the same name win, as they always did.</summary>
    private static Dictionary<string, SpamThresholds> ByKey(OrderedDictionary<string, SpamPolicyEntryOptions> entries,
        Func<SpamPolicyEntryOptions, string> key)
    {
        var result = new Dictionary<string, SpamThresholds>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries.Values) result[key(entry).Trim().ToLowerInvariant()] = Thresholds(entry);
        return result;
    }

    /// <summary>Thresholds not given are the built-in ones (for entries too, not Content:Spam's).</summary>
    private static SpamThresholds Thresholds(SpamThresholdOptions thresholds) => new(
        SpamScore.Parse(thresholds.MarkAt, SpamThresholds.Default.MarkAt),
        SpamScore.Parse(thresholds.QuarantineAt, SpamThresholds.Default.QuarantineAt),
        SpamScore.Parse(thresholds.RefuseAt, SpamThresholds.Default.RefuseAt),
        thresholds.UseScannerAction);

    private static TimeSpan Seconds(double seconds) => TimeSpan.FromSeconds(seconds);

    private static string[] List(SettingList? list) => list?.ToArray() ?? [];
}
