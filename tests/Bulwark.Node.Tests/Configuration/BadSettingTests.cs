using Bulwark.Node.Configuration;
using Microsoft.Extensions.Configuration;

namespace Bulwark.Node.Tests.Configuration;

/// <summary>The first bad value stops the node with one line that names its key. These are the
/// exact texts an operator reads (the node prints them after "bulwark: ").</summary>
public class BadSettingTests
{
    [Theory]
    [InlineData("Node:Roles", "listener,mailer", "Node:Roles: unknown role 'mailer' (listener, policy)")]
    [InlineData("Node:Hostname", " ", "Node:Hostname: must not be empty")]
    [InlineData("Node:DataDirectory", "", "Node:DataDirectory: must not be empty")]
    public void Node(string key, string value, string error) => AssertError(error, (key, value));

    [Theory]
    [InlineData("Cluster:Port", "70000", "Cluster:Port: 70000 is outside 0..65535")]
    [InlineData("Cluster:Host", "", "Cluster:Host: must not be empty")]
    [InlineData("Cluster:SeedNodes", "bulwark@10.0.0.1:4053", "Cluster:SeedNodes: 'bulwark@10.0.0.1:4053' is not an akka.tcp:// address")]
    public void Cluster(string key, string value, string error) => AssertError(error, (key, value));

    [Theory]
    [InlineData("Smtp:Port", "abc", "Smtp:Port: 'abc' is not a whole number")]
    [InlineData("Smtp:Port", "", "Smtp:Port: '' is not a whole number")]
    [InlineData("Smtp:Port", "0x10", "Smtp:Port: '0x10' is not a whole number")]
    [InlineData("Smtp:MaxRecipients", "0", "Smtp:MaxRecipients: 0 is outside 1..100000")]
    [InlineData("Smtp:MaxMessageBytes", "100", "Smtp:MaxMessageBytes: 100 is outside 1024..2147483648")]
    [InlineData("Smtp:MaxMessageBytes", "1.5", "Smtp:MaxMessageBytes: '1.5' is not a whole number")]
    [InlineData("Smtp:CommandTimeoutSeconds", "soon", "Smtp:CommandTimeoutSeconds: 'soon' is not a number of seconds")]
    [InlineData("Smtp:AskTimeoutSeconds", "0.01", "Smtp:AskTimeoutSeconds: 0.01 is outside 0.05..120 seconds")]
    [InlineData("Smtp:DrainSeconds", "NaN", "Smtp:DrainSeconds: NaN is outside 0..600 seconds")]
    [InlineData("Smtp:Tls:HandshakeTimeoutSeconds", "601", "Smtp:Tls:HandshakeTimeoutSeconds: 601 is outside 1..600 seconds")]
    [InlineData("Smtp:Address", "localhost", "Smtp:Address: 'localhost' is not an IP address")]
    [InlineData("Smtp:Address", "", "Smtp:Address: must not be empty")]
    [InlineData("Smtp:TrustedProxies", "10.0.0.0/8, 10.0.0.0/33", "Smtp:TrustedProxies: '10.0.0.0/33' is not a CIDR")]
    [InlineData("Smtp:PregreetSkipNetworks", "partner", "Smtp:PregreetSkipNetworks: 'partner' is not a CIDR")]
    [InlineData("Smtp:PregreetMultilineBanner", "yes", "Smtp:PregreetMultilineBanner: 'yes' is not true or false")]
    [InlineData("Smtp:LocalRecipientAnswers", "1", "Smtp:LocalRecipientAnswers: '1' is not true or false")]
    [InlineData("Smtp:Tls:CertificateFile", "cert.pem", "Smtp:Tls:KeyFile: is needed with Smtp:Tls:CertificateFile")]
    [InlineData("Smtp:Tls:KeyFile", "key.pem", "Smtp:Tls:CertificateFile: is needed with Smtp:Tls:KeyFile")]
    [InlineData("Smtp:Tls:RequireFromDomains", "bank.example",
        "Smtp:Tls:RequireFromDomains: needs Smtp:Tls:CertificateFile and KeyFile: without a certificate no sender could comply")]
    public void Smtp(string key, string value, string error) => AssertError(error, (key, value));

    [Fact]
    public void Smtp_tls_files_that_cannot_be_read_name_the_certificate_key()
    {
        var error = TestSettings.ErrorFor(("Smtp:Tls:CertificateFile", "/nonexistent/cert.pem"), ("Smtp:Tls:KeyFile", "/nonexistent/key.pem"));
        Assert.StartsWith("configuration error: Smtp:Tls:CertificateFile: cannot use /nonexistent/cert.pem with /nonexistent/key.pem: ", error);
    }

    [Theory]
    [InlineData("Domains:0:Name", "example", "Domains:0:Name: 'example' is not a domain name")]
    [InlineData("Domains:0:Name", "postmaster@example.test", "Domains:0:Name: 'postmaster@example.test' is not a domain name")]
    [InlineData("Domains:0:RecipientsFile", "/nonexistent/recipients.txt", "Domains:0:RecipientsFile: file '/nonexistent/recipients.txt' not found")]
    [InlineData("Domains:0:CatchAll", "sometimes", "Domains:0:CatchAll: 'sometimes' is not true or false")]
    [InlineData("Domains:0:CallAhead:Port", "0", "Domains:0:CallAhead:Port: 0 is outside 1..65535")]
    [InlineData("Domains:0:CallAhead:TimeoutSeconds", "0", "Domains:0:CallAhead:TimeoutSeconds: 0 is outside 0.1..300 seconds")]
    [InlineData("Domains:0:CallAhead:Enabled", "true", "Domains:0:CallAhead:Host: call-ahead is enabled but no host is given")]
    [InlineData("Domains:1:Name", "EXAMPLE.test", "Domains: a domain is listed twice")]
    [InlineData("Domains:1:CatchAll", "true", "Domains:1:Name: must not be empty")]
    [InlineData("Domains:5:Name", "bad", "Domains:5:Name: 'bad' is not a domain name")]
    public void Domains(string key, string value, string error) => AssertError(error, (key, value));

    [Fact]
    public void A_node_without_an_accepted_domain_does_not_start()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Smtp:Port"] = "2525" }).Build();
        Assert.Equal("configuration error: Domains: at least one accepted domain is needed",
            Assert.Throws<ConfigurationError>(() => BulwarkSettingsLoader.Load(configuration)).Message);
    }

    [Theory]
    [InlineData("Reputation:Enabled", "maybe", "Reputation:Enabled: 'maybe' is not true or false")]
    [InlineData("Reputation:StrikeThreshold", "0", "Reputation:StrikeThreshold: 0 is outside 1..100000")]
    [InlineData("Reputation:StrikeWindowSeconds", "604801", "Reputation:StrikeWindowSeconds: 604801 is outside 1..604800 seconds")]
    [InlineData("Reputation:MaxBlockSeconds", "60", "Reputation:MaxBlockSeconds: must not be shorter than Reputation:BaseBlockSeconds")]
    [InlineData("Reputation:MaxConnectionsPerIp", "many", "Reputation:MaxConnectionsPerIp: 'many' is not a whole number")]
    public void Reputation(string key, string value, string error) => AssertError(error, (key, value));

    [Theory]
    [InlineData("Delivery:Spool", "mbox", "Delivery:Spool: 'mbox' is not one of files, segments")]
    [InlineData("Delivery:Spool", " ", "Delivery:Spool: must not be empty")]
    [InlineData("Delivery:MaxConcurrent", "0", "Delivery:MaxConcurrent: 0 is outside 1..1000")]
    [InlineData("Delivery:NextHop:Port", "0", "Delivery:NextHop:Port: 0 is outside 1..65535")]
    [InlineData("Delivery:NextHop:PoolSize", "-1", "Delivery:NextHop:PoolSize: -1 is outside 0..1000")]
    [InlineData("Delivery:NextHop:PoolSize", "", "Delivery:NextHop:PoolSize: '' is not a whole number")]
    [InlineData("Delivery:NextHop:IdleTimeoutSeconds", "0", "Delivery:NextHop:IdleTimeoutSeconds: 0 is outside 0.1..3600 seconds")]
    [InlineData("Delivery:MaxAgeSeconds", "never", "Delivery:MaxAgeSeconds: 'never' is not a number of seconds")]
    public void Delivery(string key, string value, string error) => AssertError(error, (key, value));

    [Theory]
    [InlineData("Persistence:Provider", "Oracle", "Persistence:Provider: 'oracle' is not one of sqlite, postgresql")]
    [InlineData("Persistence:Provider", "postgresql",
        "Persistence:ConnectionString: postgresql needs a connection string (Host=...;Database=...;Username=...)")]
    public void Persistence(string key, string value, string error) => AssertError(error, (key, value));

    [Theory]
    [InlineData("Admin:Address", "0.0.0.0", "Admin:Token: required when Admin:Address (0.0.0.0) is not a loopback address")]
    [InlineData("Admin:Address", "admin.local", "Admin:Address: 'admin.local' is not an IP address")]
    [InlineData("Admin:Token", "short", "Admin:Token: must be at least 24 characters (e.g. openssl rand -hex 24)")]
    [InlineData("Admin:Port", "65536", "Admin:Port: 65536 is outside 0..65535")]
    public void Admin(string key, string value, string error) => AssertError(error, (key, value));

    [Theory]
    [InlineData("Dns:NameServers", "127.0.0.1:53,resolver.local:53", "Dns:NameServers: 'resolver.local:53' is not an ip:port")]
    [InlineData("Dns:TrustedNetworks", "10.0.0.0/8,bogus", "Dns:TrustedNetworks: 'bogus' is not a CIDR")]
    [InlineData("Dns:Iprev", "strict", "Dns:Iprev: 'strict' is not one of off, record, soft-reject, reject")]
    [InlineData("Dns:Retries", "11", "Dns:Retries: 11 is outside 0..10")]
    [InlineData("Dns:Enabled", "on", "Dns:Enabled: 'on' is not true or false")]
    [InlineData("Dns:TimeoutSeconds", "61", "Dns:TimeoutSeconds: 61 is outside 0.05..60 seconds")]
    public void Dns(string key, string value, string error) => AssertError(error, (key, value));

    [Theory]
    [InlineData("Content:Rspamd", "not a url", "Content:Rspamd: 'not a url' is not an http:// URL")]
    [InlineData("Content:Spam:MarkAt", "high", "Content:Spam:MarkAt: 'high' is not a score or 'never'")]
    [InlineData("Content:Spam:UseScannerAction", "rspamd", "Content:Spam:UseScannerAction: 'rspamd' is not true or false")]
    [InlineData("Content:Recipients:0:MarkAt", "3", "Content:Recipients:0:Address: must not be empty")]
    [InlineData("Content:BreakerFailures", "0", "Content:BreakerFailures: 0 is outside 1..1000")]
    [InlineData("Content:QuarantineRetentionSeconds", "59", "Content:QuarantineRetentionSeconds: 59 is outside 60..315360000 seconds")]
    [InlineData("Content:FailOpenSpam", "no", "Content:FailOpenSpam: 'no' is not true or false")]
    public void Content(string key, string value, string error) => AssertError(error, (key, value));

    [Fact]
    public void A_bad_threshold_of_a_domain_entry_names_the_entry()
    {
        Assert.Equal("configuration error: Content:Domains:0:RefuseAt: 'x' is not a score or 'never'",
            TestSettings.ErrorFor(("Content:Domains:0:Name", "example.test"), ("Content:Domains:0:RefuseAt", "x")));
    }

    [Fact]
    public void Unknown_keys_are_ignored()
    {
        var settings = TestSettings.Load(("Smtp:Prot", "abc"), ("Bogus:Section", "1"), ("Domains:0:Colour", "blue"));
        Assert.Equal(2525, settings.Smtp.Port);
    }

    private static void AssertError(string error, params (string Key, string? Value)[] values) =>
        Assert.Equal($"configuration error: {error}", TestSettings.ErrorFor(values));
}
