using System.Net;
using Bulwark.Node.Configuration;
using Bulwark.Policy.Content;
using Bulwark.Policy.Dns;
using Bulwark.Admin.Http;

namespace Bulwark.Node.Tests.Configuration;

/// <summary>Every default of the README's configuration reference, read from a configuration
/// that names nothing but the accepted domain.</summary>
public class SettingsDefaultsTests
{
    private static readonly BulwarkSettings Defaults = TestSettings.Load();
    private static readonly string DataDirectory = Path.GetFullPath("./data");

    [Fact]
    public void Node_defaults_to_both_roles_under_the_example_hostname()
    {
        Assert.Equal("mx.example.test", Defaults.Node.Hostname);
        Assert.Equal(DataDirectory, Defaults.Node.DataDirectory);
        Assert.Equal(["listener", "policy"], Defaults.Node.Roles);
    }

    [Fact]
    public void Cluster_defaults_to_loopback_port_4053_and_no_seed_nodes()
    {
        Assert.Equal("127.0.0.1", Defaults.Cluster.Host);
        Assert.Equal(4053, Defaults.Cluster.Port);
        Assert.Empty(Defaults.Cluster.SeedNodes);
    }

    [Fact]
    public void Smtp_defaults_to_loopback_port_2525_with_rfc_5321_limits_and_timeouts()
    {
        var smtp = Defaults.Smtp;
        Assert.Equal(IPAddress.Loopback, smtp.Address);
        Assert.Equal(2525, smtp.Port);
        Assert.Equal(5000, smtp.MaxConnections);
        Assert.Equal(26214400, smtp.Limits.MaxMessageBytes);
        Assert.Equal(100, smtp.Limits.MaxRecipients);
        Assert.Equal(2048, smtp.Limits.MaxCommandLineBytes);
        Assert.Equal(998, smtp.Limits.MaxDataLineBytes);
        Assert.Equal(10, smtp.Limits.MaxErrors);
        Assert.Equal(TimeSpan.FromSeconds(300), smtp.Timeouts.Command);
        Assert.Equal(TimeSpan.FromSeconds(180), smtp.Timeouts.DataBlock);
        Assert.Equal(TimeSpan.FromSeconds(600), smtp.Timeouts.DataTermination);
        Assert.Equal(TimeSpan.FromSeconds(30), smtp.Timeouts.TlsHandshake);
        Assert.Equal(TimeSpan.FromSeconds(30), smtp.Timeouts.SessionReply);
        Assert.Equal(TimeSpan.FromSeconds(5), smtp.AskTimeout);
        Assert.Equal(TimeSpan.FromSeconds(20), smtp.DrainTimeout);
        Assert.True(smtp.LocalRecipientAnswers);
    }

    [Fact]
    public void Smtp_defaults_to_no_pregreet_pause_no_proxy_and_no_tls()
    {
        var smtp = Defaults.Smtp;
        Assert.Equal(TimeSpan.Zero, smtp.Pregreet.Pause);
        Assert.False(smtp.Pregreet.Enabled);
        Assert.Empty(smtp.Pregreet.SkipNetworks);
        Assert.True(smtp.Pregreet.MultilineBanner);
        Assert.Empty(smtp.TrustedProxies);
        Assert.Equal(TimeSpan.FromSeconds(5), smtp.ProxyHeaderTimeout);
        Assert.Null(smtp.Tls);
        Assert.Empty(smtp.RequireTlsFromDomains);
    }

    [Fact]
    public void A_domain_defaults_to_no_recipients_file_no_catch_all_and_no_call_ahead()
    {
        var domain = Assert.Single(Defaults.Domains);
        Assert.Equal("example.test", domain.Name);
        Assert.Null(domain.RecipientsFile);
        Assert.False(domain.CatchAll);
        Assert.Equal(new CallAheadSettings(false, "", 25, TimeSpan.FromSeconds(3600), TimeSpan.FromSeconds(600), TimeSpan.FromSeconds(10)),
            domain.CallAhead);
    }

    [Fact]
    public void Reputation_defaults_to_five_strikes_in_ten_minutes_and_twenty_connections_per_ip()
    {
        var reputation = Defaults.Reputation;
        Assert.True(reputation.Enabled);
        Assert.Equal(5, reputation.StrikeThreshold);
        Assert.Equal(TimeSpan.FromSeconds(600), reputation.StrikeWindow);
        Assert.Equal(TimeSpan.FromSeconds(900), reputation.BaseBlock);
        Assert.Equal(TimeSpan.FromSeconds(86400), reputation.MaxBlock);
        Assert.Equal(TimeSpan.FromSeconds(604800), reputation.OffenceMemory);
        Assert.Equal(20, reputation.MaxConnectionsPerIp);
        Assert.Empty(reputation.Allowlist);
    }

    [Fact]
    public void Delivery_defaults_to_the_maildir_with_eight_deliveries_and_the_segment_spool()
    {
        var delivery = Defaults.Delivery;
        Assert.False(delivery.NextHop.Configured);
        Assert.Equal("", delivery.NextHop.Host);
        Assert.Equal(25, delivery.NextHop.Port);
        Assert.Equal(TimeSpan.FromSeconds(30), delivery.NextHop.Timeout);
        Assert.Equal(8, delivery.NextHop.PoolSize);
        Assert.Equal(TimeSpan.FromSeconds(30), delivery.NextHop.IdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(300), delivery.NextHop.MaxConnectionAge);
        Assert.Equal(1000, delivery.NextHop.MaxMessagesPerConnection);
        Assert.Equal(Path.Combine(DataDirectory, "maildir"), delivery.MaildirDirectory);
        Assert.Equal(Path.Combine(DataDirectory, "spool"), delivery.SpoolDirectory);
        Assert.Equal(8, delivery.MaxConcurrent);
        Assert.Equal(TimeSpan.FromSeconds(5), delivery.InitialRetry);
        Assert.Equal(TimeSpan.FromSeconds(900), delivery.MaxRetry);
        Assert.Equal(TimeSpan.FromSeconds(432000), delivery.MaxAge);
        Assert.Equal(SpoolKind.Segments, delivery.Spool);
    }

    [Fact]
    public void Persistence_defaults_to_sqlite_in_the_data_directory()
    {
        Assert.Equal(PersistenceProvider.Sqlite, Defaults.Persistence.Provider);
        Assert.Equal($"Data Source={Path.Combine(DataDirectory, "bulwark.db")}", Defaults.Persistence.ConnectionString);
    }

    [Fact]
    public void Admin_defaults_to_loopback_port_8025_without_a_token()
    {
        Assert.Equal(new AdminSettings(IPAddress.Loopback, 8025), Defaults.Admin);
        Assert.Null(Defaults.Admin.Token);
    }

    [Fact]
    public void Dns_defaults_to_a_local_resolver_trusting_loopback_and_recording_iprev()
    {
        var dns = Defaults.Dns;
        Assert.True(dns.Enabled);
        Assert.Equal(["127.0.0.1:53"], dns.NameServers);
        Assert.Equal(TimeSpan.FromSeconds(2), dns.Timeout);
        Assert.Equal(1, dns.Retries);
        Assert.Equal(100_000, dns.CacheMaxEntries);
        Assert.Equal(["127.0.0.0/8", "::1/128"], dns.TrustedNetworks);
        Assert.False(dns.AcceptSpfPermError);
        Assert.Equal(IprevAction.RecordOnly, dns.Iprev);
    }

    [Fact]
    public void Content_defaults_to_no_scanners_rspamd_thresholds_and_thirty_days_of_quarantine()
    {
        var content = Defaults.Content;
        Assert.Null(content.ClamdEndpoint);
        Assert.Equal(TimeSpan.FromSeconds(30), content.ClamdTimeout);
        Assert.Null(content.RspamdUrl);
        Assert.Equal(TimeSpan.FromSeconds(30), content.RspamdTimeout);
        Assert.Equal(3, content.BreakerFailures);
        Assert.Equal(TimeSpan.FromSeconds(30), content.BreakerCoolDown);
        Assert.Equal(new SpamThresholds(6, 10, 15, false), content.Policy.Default);
        Assert.Empty(content.Policy.PerDomain);
        Assert.Empty(content.Policy.PerRecipient);
        Assert.False(content.Policy.FailOpenSpam);
        Assert.Equal(Path.Combine(DataDirectory, "quarantine"), content.QuarantineDirectory);
        Assert.Equal(TimeSpan.FromSeconds(2592000), content.QuarantineRetention);
    }
}
