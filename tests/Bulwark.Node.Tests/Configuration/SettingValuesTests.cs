using Bulwark.Node.Configuration;
using Bulwark.Policy.Content;
using Bulwark.Policy.Dns;

namespace Bulwark.Node.Tests.Configuration;

/// <summary>Values that are not plain numbers or strings: lists, durations, choices, thresholds,
/// and the normalising done on names and paths.</summary>
public class SettingValuesTests
{
    [Fact]
    public void A_list_is_one_comma_separated_value_or_indexed_children()
    {
        Assert.Equal(["policy"], TestSettings.Load(("Node:Roles", " policy ,")).Node.Roles);
        Assert.Equal(["listener"], TestSettings.Load(("Node:Roles:0", "listener"), ("Node:Roles:1", "")).Node.Roles);
        Assert.Equal(["akka.tcp://bulwark@10.0.0.1:4053", "akka.tcp://bulwark@10.0.0.2:4053"],
            TestSettings.Load(("Cluster:SeedNodes", "akka.tcp://bulwark@10.0.0.1:4053,akka.tcp://bulwark@10.0.0.2:4053")).Cluster.SeedNodes);
    }

    [Fact]
    public void A_single_value_replaces_the_indexed_children_of_the_same_list()
    {
        var settings = TestSettings.Load(("Node:Roles:0", "listener"), ("Node:Roles:1", "policy"), ("Node:Roles", "policy"));
        Assert.Equal(["policy"], settings.Node.Roles);
    }

    [Fact]
    public void An_empty_role_list_means_both_roles()
    {
        Assert.Equal(["listener", "policy"], TestSettings.Load(("Node:Roles", "")).Node.Roles);
    }

    [Fact]
    public void Empty_trusted_networks_check_everyone_but_empty_name_servers_mean_the_default()
    {
        var settings = TestSettings.Load(("Dns:TrustedNetworks", ""), ("Dns:NameServers", ""));
        Assert.Empty(settings.Dns.TrustedNetworks);
        Assert.Equal(["127.0.0.1:53"], settings.Dns.NameServers);
    }

    [Fact]
    public void Cidr_lists_accept_networks_and_single_addresses()
    {
        var settings = TestSettings.Load(("Smtp:TrustedProxies", "10.0.0.0/8, 2001:db8::1"), ("Smtp:PregreetSkipNetworks:0", "192.0.2.0/24"));
        Assert.Equal([8, 128], settings.Smtp.TrustedProxies.Select(c => c.PrefixLength));
        Assert.Equal(24, Assert.Single(settings.Smtp.Pregreet.SkipNetworks).PrefixLength);
    }

    [Fact]
    public void Durations_are_seconds_and_may_have_fractions()
    {
        var settings = TestSettings.Load(("Smtp:AskTimeoutSeconds", "0.25"), ("Smtp:PregreetSeconds", "3"), ("Reputation:OffenceMemorySeconds", "1e3"));
        Assert.Equal(TimeSpan.FromMilliseconds(250), settings.Smtp.AskTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), settings.Smtp.Pregreet.Pause);
        Assert.Equal(TimeSpan.FromSeconds(1000), settings.Reputation.OffenceMemory);
    }

    [Fact]
    public void Choices_are_read_case_insensitively()
    {
        var settings = TestSettings.Load(("Delivery:Spool", "FILES"), ("Dns:Iprev", " Soft-Reject "),
            ("Persistence:Provider", "PostgreSQL"), ("Persistence:ConnectionString", " Host=db;Database=bulwark "));
        Assert.Equal(SpoolKind.Files, settings.Delivery.Spool);
        Assert.Equal(IprevAction.SoftReject, settings.Dns.Iprev);
        Assert.Equal(PersistenceProvider.PostgreSql, settings.Persistence.Provider);
        Assert.Equal("Host=db;Database=bulwark", settings.Persistence.ConnectionString);
    }

    [Fact]
    public void Thresholds_are_scores_or_never()
    {
        var settings = TestSettings.Load(("Content:Spam:MarkAt", "never"), ("Content:Spam:QuarantineAt", ""), ("Content:Spam:RefuseAt", "20.5"),
            ("Content:Spam:UseScannerAction", "true"));
        Assert.Equal(new SpamThresholds(null, null, 20.5, true), settings.Content.Policy.Default);
    }

    [Fact]
    public void Domain_and_recipient_entries_are_keyed_in_lower_case_and_fall_back_to_the_built_in_thresholds()
    {
        var settings = TestSettings.Load(("Content:Spam:MarkAt", "1"),
            ("Content:Domains:0:Name", "Partner.Example"), ("Content:Domains:0:RefuseAt", "NEVER"),
            ("Content:Recipients:0:Address", "Abuse@Example.Test"), ("Content:Recipients:0:MarkAt", "2"), ("Content:FailOpenSpam", "true"));
        var policy = settings.Content.Policy;
        Assert.Equal(new SpamThresholds(6, 10, null), policy.PerDomain["partner.example"]);
        Assert.Equal(new SpamThresholds(2, 10, 15), policy.PerRecipient["abuse@example.test"]);
        Assert.True(policy.FailOpenSpam);
    }

    [Fact]
    public void Names_are_trimmed_and_domains_lower_cased()
    {
        var recipients = Path.GetTempFileName();
        try
        {
            var settings = TestSettings.Load(("Node:Hostname", " mx1.example.test "), ("Domains:0:Name", " Example.TEST "),
                ("Domains:0:RecipientsFile", recipients), ("Admin:Token", " 0123456789abcdef01234567 "), ("Content:Clamd", " 127.0.0.1:3310 "));
            Assert.Equal("mx1.example.test", settings.Node.Hostname);
            Assert.Equal("example.test", settings.Domains[0].Name);
            Assert.Equal(Path.GetFullPath(recipients), settings.Domains[0].RecipientsFile);
            Assert.Equal("0123456789abcdef01234567", settings.Admin.Token);
            Assert.Equal("127.0.0.1:3310", settings.Content.ClamdEndpoint);
        }
        finally
        {
            File.Delete(recipients);
        }
    }

    [Fact]
    public void Domains_keep_the_order_of_their_keys()
    {
        var settings = TestSettings.Load(("Domains:10:Name", "c.example"), ("Domains:2:Name", "b.example"));
        Assert.Equal(["example.test", "b.example", "c.example"], settings.Domains.Select(d => d.Name));
    }

    [Fact]
    public void A_call_ahead_domain_reads_its_probe_settings()
    {
        var settings = TestSettings.Load(("Domains:0:CallAhead:Enabled", "true"), ("Domains:0:CallAhead:Host", " store.internal "),
            ("Domains:0:CallAhead:Port", "2525"), ("Domains:0:CallAhead:PositiveTtlSeconds", "0"), ("Domains:0:CallAhead:NegativeTtlSeconds", "60"),
            ("Domains:0:CallAhead:TimeoutSeconds", "2.5"), ("Domains:0:CatchAll", "true"));
        var domain = settings.Domains[0];
        Assert.Equal(new CallAheadSettings(true, "store.internal", 2525, TimeSpan.Zero, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(2.5)), domain.CallAhead);
        Assert.True(domain.CatchAll);
    }

    [Fact]
    public void A_tls_pair_is_loaded_at_start_and_required_sender_domains_are_normalised()
    {
        using var pair = new TemporaryTlsPair();
        var settings = TestSettings.Load(("Smtp:Tls:CertificateFile", pair.CertificateFile), ("Smtp:Tls:KeyFile", pair.KeyFile),
            ("Smtp:Tls:RequireFromDomains", "Bank.Example., other.example"));
        Assert.Equal(new TlsSettings(pair.CertificateFile, pair.KeyFile, TimeSpan.FromSeconds(30)), settings.Smtp.Tls);
        Assert.Equal(["bank.example", "other.example"], settings.Smtp.RequireTlsFromDomains.Order());
        Assert.Contains("BANK.example", settings.Smtp.RequireTlsFromDomains);
    }

    [Fact]
    public void The_tls_reload_check_is_read_only_with_a_tls_pair()
    {
        Assert.Null(TestSettings.Load(("Smtp:Tls:ReloadCheckSeconds", "0")).Smtp.Tls);
        using var pair = new TemporaryTlsPair();
        Assert.Equal("configuration error: Smtp:Tls:ReloadCheckSeconds: 0 is outside 1..3600 seconds", TestSettings.ErrorFor(
            ("Smtp:Tls:CertificateFile", pair.CertificateFile), ("Smtp:Tls:KeyFile", pair.KeyFile), ("Smtp:Tls:ReloadCheckSeconds", "0")));
    }

    [Fact]
    public void A_public_admin_address_with_a_long_token_is_accepted()
    {
        var admin = TestSettings.Load(("Admin:Address", "0.0.0.0"), ("Admin:Port", "0"), ("Admin:Token", "0123456789abcdef01234567")).Admin;
        Assert.False(admin.IsLoopbackOnly);
        Assert.Equal(0, admin.Port);
    }

    [Fact]
    public void Quarantine_and_spool_follow_the_data_directory()
    {
        var settings = TestSettings.Load(("Node:DataDirectory", "/var/lib/bulwark"));
        Assert.Equal("/var/lib/bulwark", settings.Node.DataDirectory);
        Assert.Equal("/var/lib/bulwark/spool", settings.Delivery.SpoolDirectory);
        Assert.Equal("/var/lib/bulwark/maildir", settings.Delivery.MaildirDirectory);
        Assert.Equal("/var/lib/bulwark/quarantine", settings.Content.QuarantineDirectory);
        Assert.Equal("Data Source=/var/lib/bulwark/bulwark.db", settings.Persistence.ConnectionString);
    }
}
