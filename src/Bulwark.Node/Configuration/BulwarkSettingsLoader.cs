using System.Net;
using Bulwark.Listener.Protocol;
using Bulwark.Listener.Tls;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Reputation;
using Bulwark.Policy.Sessions;
using Microsoft.Extensions.Configuration;

namespace Bulwark.Node.Configuration;

/// <summary>
/// Builds <see cref="BulwarkSettings"/> from cluster-config/bulwark.json and BULWARK_-prefixed
/// environment variables ("__" separates levels: BULWARK_Smtp__Port=2526). Relative paths are
/// taken from the directory the node was started in.
/// </summary>
public static class BulwarkSettingsLoader
{
    public const string EnvironmentPrefix = "BULWARK_";

    public static IConfiguration BuildConfiguration(string? configFile)
    {
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            if (!File.Exists(configFile)) throw new ConfigurationError("--config", $"file '{configFile}' not found");
            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        }
        builder.AddEnvironmentVariables(EnvironmentPrefix);
        return builder.Build();
    }

    public static BulwarkSettings Load(IConfiguration configuration)
    {
        var r = new SettingsReader(configuration);
        var dataDirectory = Path.GetFullPath(r.String("Node:DataDirectory", "./data"));
        var roles = r.List("Node:Roles");
        if (roles.Length == 0) roles = ["listener", "policy"];
        foreach (var role in roles)
            if (role is not ("listener" or "policy"))
                throw new ConfigurationError("Node:Roles", $"unknown role '{role}' (listener, policy)");
        var node = new NodeSettings(r.String("Node:Hostname", "mx.example.test"), dataDirectory, roles);

        var cluster = new ClusterSettings(r.String("Cluster:Host", "127.0.0.1"), r.Int("Cluster:Port", 4053, 0, 65535), r.List("Cluster:SeedNodes"));
        foreach (var seed in cluster.SeedNodes)
            if (!seed.StartsWith("akka.tcp://", StringComparison.Ordinal))
                throw new ConfigurationError("Cluster:SeedNodes", $"'{seed}' is not an akka.tcp:// address");

        var limits = new SessionLimits
        {
            MaxMessageBytes = r.Long("Smtp:MaxMessageBytes", 25L * 1024 * 1024, 1024, 2L * 1024 * 1024 * 1024),
            MaxRecipients = r.Int("Smtp:MaxRecipients", 100, 1, 100_000),
            MaxCommandLineBytes = r.Int("Smtp:MaxCommandLineBytes", 2048, 512, 8192),
            MaxDataLineBytes = r.Int("Smtp:MaxDataLineBytes", 998, 78, 7000),
            MaxErrors = r.Int("Smtp:MaxErrors", 10, 1, 1000),
        };
        var timeouts = new SmtpTimeouts
        {
            Command = r.Seconds("Smtp:CommandTimeoutSeconds", TimeSpan.FromMinutes(5), 1, 3600),
            DataBlock = r.Seconds("Smtp:DataBlockTimeoutSeconds", TimeSpan.FromMinutes(3), 1, 3600),
            DataTermination = r.Seconds("Smtp:DataTimeoutSeconds", TimeSpan.FromMinutes(10), 1, 7200),
            TlsHandshake = r.Seconds("Smtp:Tls:HandshakeTimeoutSeconds", TimeSpan.FromSeconds(30), 1, 600),
        };
        var smtp = new SmtpSettings(r.Address("Smtp:Address", "127.0.0.1"), r.Int("Smtp:Port", 2525, 0, 65535),
            r.Int("Smtp:MaxConnections", 5000, 1, 1_000_000), limits, timeouts,
            r.Seconds("Smtp:AskTimeoutSeconds", TimeSpan.FromSeconds(5), 0.05, 120))
        {
            DrainTimeout = r.Seconds("Smtp:DrainSeconds", TimeSpan.FromSeconds(20), 0, 600),
            Pregreet = new PregreetOptions
            {
                Pause = r.Seconds("Smtp:PregreetSeconds", TimeSpan.Zero, 0, 60),
                SkipNetworks = Cidrs(r, "Smtp:PregreetSkipNetworks"),
                MultilineBanner = r.Bool("Smtp:PregreetMultilineBanner", true),
            },
            TrustedProxies = Cidrs(r, "Smtp:TrustedProxies"),
            ProxyHeaderTimeout = r.Seconds("Smtp:ProxyHeaderTimeoutSeconds", TimeSpan.FromSeconds(5), 0.1, 60),
            Tls = LoadTls(r),
            LocalRecipientAnswers = r.Bool("Smtp:LocalRecipientAnswers", true),
            RequireTlsFromDomains = r.List("Smtp:Tls:RequireFromDomains").Select(d => d.Trim().TrimEnd('.').ToLowerInvariant())
                .ToHashSet(StringComparer.OrdinalIgnoreCase),
        };
        if (smtp.Tls is null && smtp.RequireTlsFromDomains.Count > 0)
            throw new ConfigurationError("Smtp:Tls:RequireFromDomains", "needs Smtp:Tls:CertificateFile and KeyFile: without a certificate no sender could comply");

        var domains = LoadDomains(r);
        var reputation = new ReputationSettings(
            r.Bool("Reputation:Enabled", true),
            r.Int("Reputation:StrikeThreshold", 5, 1, 100_000),
            r.Seconds("Reputation:StrikeWindowSeconds", TimeSpan.FromMinutes(10), 1, 86400 * 7),
            r.Seconds("Reputation:BaseBlockSeconds", TimeSpan.FromMinutes(15), 1, 86400 * 30),
            r.Seconds("Reputation:MaxBlockSeconds", TimeSpan.FromHours(24), 1, 86400 * 365),
            r.Seconds("Reputation:OffenceMemorySeconds", TimeSpan.FromDays(7), 1, 86400 * 365),
            r.Int("Reputation:MaxConnectionsPerIp", 20, 1, 100_000),
            r.List("Reputation:Allowlist"));
        if (reputation.MaxBlock < reputation.BaseBlock)
            throw new ConfigurationError("Reputation:MaxBlockSeconds", "must not be shorter than Reputation:BaseBlockSeconds");

        var maxConcurrent = r.Int("Delivery:MaxConcurrent", 8, 1, 1000);
        var delivery = new DeliverySettings(
            new NextHopSettings(r.String("Delivery:NextHop:Host", "", allowEmpty: true), r.Int("Delivery:NextHop:Port", 25, 1, 65535),
                r.Seconds("Delivery:NextHop:TimeoutSeconds", TimeSpan.FromSeconds(30), 1, 600))
            {
                // One idle session per concurrent delivery by default: a smaller pool closes and
                // reopens sessions under load (20 deliveries on a pool of 8: a new session for
                // every 5-6 messages, each a connect, greeting and EHLO).
                PoolSize = r.Int("Delivery:NextHop:PoolSize", maxConcurrent, 0, 1000),
                IdleTimeout = r.Seconds("Delivery:NextHop:IdleTimeoutSeconds", TimeSpan.FromSeconds(30), 0.1, 3600),
                MaxConnectionAge = r.Seconds("Delivery:NextHop:MaxConnectionAgeSeconds", TimeSpan.FromMinutes(5), 1, 86400),
                MaxMessagesPerConnection = r.Int("Delivery:NextHop:MaxMessagesPerConnection", 1000, 1, 1_000_000),
            },
            Path.Combine(dataDirectory, "maildir"),
            Path.Combine(dataDirectory, "spool"),
            maxConcurrent,
            r.Seconds("Delivery:InitialRetrySeconds", TimeSpan.FromSeconds(5), 0.05, 86400),
            r.Seconds("Delivery:MaxRetrySeconds", TimeSpan.FromMinutes(15), 0.05, 86400),
            r.Seconds("Delivery:MaxAgeSeconds", TimeSpan.FromDays(5), 1, 86400 * 30))
        {
            Spool = r.OneOf("Delivery:Spool", "segments", new Dictionary<string, SpoolKind>
            {
                ["files"] = SpoolKind.Files,
                ["segments"] = SpoolKind.Segments,
            }),
        };

        var provider = r.OneOf("Persistence:Provider", "sqlite", new Dictionary<string, PersistenceProvider>
        {
            ["sqlite"] = PersistenceProvider.Sqlite,
            ["postgresql"] = PersistenceProvider.PostgreSql,
        });
        var connection = OrDefault(r.String("Persistence:ConnectionString", "", allowEmpty: true), provider == PersistenceProvider.Sqlite
            ? $"Data Source={Path.Combine(dataDirectory, "bulwark.db")}"
            : "");
        if (provider == PersistenceProvider.PostgreSql && connection.Length == 0)
            throw new ConfigurationError("Persistence:ConnectionString", "postgresql needs a connection string (Host=...;Database=...;Username=...)");

        var token = r.String("Admin:Token", "", allowEmpty: true);
        var admin = new AdminSettings(r.Address("Admin:Address", "127.0.0.1"), r.Int("Admin:Port", 8025, 0, 65535),
            token.Length == 0 ? null : token);
        // Anyone who can reach the API can unblock an attacker or release quarantined mail:
        // off loopback it must not run without a token, and a guessable token is no token.
        if (!admin.IsLoopbackOnly && admin.Token is null)
            throw new ConfigurationError("Admin:Token", $"required when Admin:Address ({admin.Address}) is not a loopback address");
        if (admin.Token is { Length: < 24 })
            throw new ConfigurationError("Admin:Token", "must be at least 24 characters (e.g. openssl rand -hex 24)");

        return new BulwarkSettings(node, cluster, smtp, domains, reputation, delivery, new PersistenceSettings(provider, connection), admin,
            LoadDns(r), ContentSettingsLoader.Load(r, dataDirectory));
    }

    /// <summary>Both PEM files or neither; the pair is loaded once here so a bad file stops the
    /// node with one line instead of failing the first handshake.</summary>
    private static TlsSettings? LoadTls(SettingsReader r)
    {
        var certificate = r.String("Smtp:Tls:CertificateFile", "", allowEmpty: true);
        var key = r.String("Smtp:Tls:KeyFile", "", allowEmpty: true);
        if (certificate.Length == 0 && key.Length == 0) return null;
        if (certificate.Length == 0) throw new ConfigurationError("Smtp:Tls:CertificateFile", "is needed with Smtp:Tls:KeyFile");
        if (key.Length == 0) throw new ConfigurationError("Smtp:Tls:KeyFile", "is needed with Smtp:Tls:CertificateFile");
        try
        {
            TlsCertificate.FromPem(File.ReadAllText(certificate), File.ReadAllText(key), DateTimeOffset.UtcNow);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException or System.Security.Cryptography.CryptographicException or InvalidOperationException)
        {
            throw new ConfigurationError("Smtp:Tls:CertificateFile", $"cannot use {certificate} with {key}: {e.Message}");
        }
        return new TlsSettings(certificate, key, r.Seconds("Smtp:Tls:ReloadCheckSeconds", TimeSpan.FromSeconds(30), 1, 3600));
    }

    private static Cidr[] Cidrs(SettingsReader r, string key) =>
        r.List(key).Select(text => Cidr.TryParse(text, out var cidr) ? cidr : throw new ConfigurationError(key, $"'{text}' is not a CIDR")).ToArray();

    private static DnsSettings LoadDns(SettingsReader r)
    {
        var servers = r.List("Dns:NameServers");
        if (servers.Length == 0) servers = ["127.0.0.1:53"];
        foreach (var server in servers)
            if (!IPEndPoint.TryParse(server, out _))
                throw new ConfigurationError("Dns:NameServers", $"'{server}' is not an ip:port");
        var trusted = r.Root.GetSection("Dns:TrustedNetworks").Exists() ? r.List("Dns:TrustedNetworks") : ["127.0.0.0/8", "::1/128"];
        foreach (var cidr in trusted)
            if (!Bulwark.Policy.Reputation.Cidr.TryParse(cidr, out _))
                throw new ConfigurationError("Dns:TrustedNetworks", $"'{cidr}' is not a CIDR");
        return new DnsSettings(
            r.Bool("Dns:Enabled", true),
            servers,
            r.Seconds("Dns:TimeoutSeconds", TimeSpan.FromSeconds(2), 0.05, 60),
            r.Int("Dns:Retries", 1, 0, 10),
            r.Int("Dns:CacheMaxEntries", 100_000, 100, 10_000_000),
            trusted,
            r.Bool("Dns:AcceptSpfPermError", false),
            r.OneOf("Dns:Iprev", "record", new Dictionary<string, IprevAction>
            {
                ["off"] = IprevAction.Off,
                ["record"] = IprevAction.RecordOnly,
                ["soft-reject"] = IprevAction.SoftReject,
                ["reject"] = IprevAction.Reject,
            }));
    }

    private static string OrDefault(string value, string fallback) => value.Length > 0 ? value : fallback;

    private static IReadOnlyList<DomainSettings> LoadDomains(SettingsReader r)
    {
        var entries = r.Root.GetSection("Domains").GetChildren().ToList();
        if (entries.Count == 0) throw new ConfigurationError("Domains", "at least one accepted domain is needed");
        var domains = new List<DomainSettings>();
        foreach (var entry in entries)
        {
            var prefix = $"Domains:{entry.Key}";
            var name = r.String($"{prefix}:Name", "").ToLowerInvariant();
            if (name.Contains('@') || name.Contains(' ') || name.StartsWith('.') || !name.Contains('.'))
                throw new ConfigurationError($"{prefix}:Name", $"'{name}' is not a domain name");
            var file = r.String($"{prefix}:RecipientsFile", "", allowEmpty: true);
            if (file.Length > 0 && !File.Exists(file))
                throw new ConfigurationError($"{prefix}:RecipientsFile", $"file '{file}' not found");
            var callAhead = new CallAheadSettings(
                r.Bool($"{prefix}:CallAhead:Enabled", false),
                r.String($"{prefix}:CallAhead:Host", "", allowEmpty: true),
                r.Int($"{prefix}:CallAhead:Port", 25, 1, 65535),
                r.Seconds($"{prefix}:CallAhead:PositiveTtlSeconds", TimeSpan.FromHours(1), 0, 86400 * 7),
                r.Seconds($"{prefix}:CallAhead:NegativeTtlSeconds", TimeSpan.FromMinutes(10), 0, 86400 * 7),
                r.Seconds($"{prefix}:CallAhead:TimeoutSeconds", TimeSpan.FromSeconds(10), 0.1, 300));
            if (callAhead.Enabled && callAhead.Host.Length == 0)
                throw new ConfigurationError($"{prefix}:CallAhead:Host", "call-ahead is enabled but no host is given");
            domains.Add(new DomainSettings(name, file.Length > 0 ? Path.GetFullPath(file) : null, r.Bool($"{prefix}:CatchAll", false), callAhead));
        }
        if (domains.Select(d => d.Name).Distinct().Count() != domains.Count)
            throw new ConfigurationError("Domains", "a domain is listed twice");
        return domains;
    }
}
