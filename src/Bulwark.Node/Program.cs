using Akka.Hosting;
using Bulwark.Cli;
using Bulwark.Content.Quarantine;
using Bulwark.Content.Scanners;
using Bulwark.Delivery.Spool;
using Bulwark.Listener.Observability;
using Bulwark.Admin.Dashboard;
using Bulwark.Admin.Http;
using Bulwark.Node.Configuration;
using Bulwark.Node.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Bulwark.NodeCaches;
using Bulwark.Policy.Recipients;
using Bulwark.Dns;

namespace Bulwark.Node;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // Anything but "run the node" (a command, --help, a usage error) is the admin CLI's.
        var commandLine = CliParser.Parse(args);
        if (commandLine is not RunNode node) return await AdminCli.RunAsync(commandLine);

        BulwarkSettings settings;
        RecipientDirectoryOptions directory;
        try
        {
            var configuration = BulwarkSettingsLoader.BuildConfiguration(ConfigFile(node.ConfigFile));
            settings = BulwarkSettingsLoader.Load(configuration);
            // Every node loads the directory: policy nodes for their entities, listeners to
            // answer what needs no call-ahead without asking them.
            directory = AkkaWiring.DirectoryOptionsFrom(settings.Domains, settings.Node.Hostname);
            Directory.CreateDirectory(settings.Node.DataDirectory);
        }
        catch (ConfigurationError e)
        {
            Console.Error.WriteLine($"bulwark: {e.Message}");
            return 2;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.Smtp.DrainTimeout + TimeSpan.FromSeconds(30));
        var blocks = new BlockList();
        ISpool spool = settings.Delivery.Spool == SpoolKind.Segments
            ? new Bulwark.Delivery.Spool.Segments.SegmentSpool(settings.Delivery.SpoolDirectory)
            : new FileSpool(settings.Delivery.SpoolDirectory);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(blocks);
        builder.Services.AddSingleton<ISpool>(spool);
        // One resolver and cache per node, shared by the DnsPolicy entities it hosts.
        var dns = new CachingDnsResolver(
            new DnsClientResolver(new DnsResolverOptions
            {
                NameServers = settings.Dns.NameServers,
                Timeout = settings.Dns.Timeout,
                Retries = settings.Dns.Retries,
            }),
            new DnsCacheOptions { MaxEntries = settings.Dns.CacheMaxEntries });
        builder.Services.AddSingleton(dns);
        var scanner = new ContentScanner(new ContentScannerOptions
        {
            ClamdEndpoint = settings.Content.ClamdEndpoint,
            ClamdTimeout = settings.Content.ClamdTimeout,
            RspamdUrl = settings.Content.RspamdUrl,
            RspamdTimeout = settings.Content.RspamdTimeout,
            BreakerFailureThreshold = settings.Content.BreakerFailures,
            BreakerCoolDown = settings.Content.BreakerCoolDown,
        });
        builder.Services.AddSingleton(scanner);
        var quarantine = new QuarantineStore(settings.Content.QuarantineDirectory, settings.Content.QuarantineRetention);
        builder.Services.AddSingleton(quarantine);
        var sessions = new LiveSessions();
        builder.Services.AddSingleton(sessions);
        var stats = new NodeStatsSources(settings.Node.Hostname, sessions, dns, scanner, quarantine);
        builder.Services.AddSingleton(stats);
        builder.Services.AddAkka("bulwark", (akka, _) => akka.ConfigureBulwark(settings, blocks, spool, dns, stats, directory));
        builder.Services.AddSingleton(directory);
        builder.Services.AddSingleton<QuarantineEndpoints>();
        builder.Services.AddSingleton<QueueEndpoints>();
        builder.Services.AddSingleton<ClusterEndpoints>();
        builder.Services.AddSingleton<AdminApi>();
        builder.Services.AddSingleton<DashboardBuilder>();
        builder.Services.AddSingleton<HealthChecks>();
        builder.Services.AddSingleton<MetricsCollector>();
        builder.Services.AddSingleton<SmtpListenerService>();
        builder.Services.AddSingleton<ISmtpReadiness>(sp => sp.GetRequiredService<SmtpListenerService>());
        builder.Services.AddSingleton(settings.Admin with { AskTimeout = settings.Smtp.AskTimeout });
        // The admin port opens before SMTP, so /health/ready can say "not yet" while the node joins.
        builder.Services.AddHostedService<AdminServer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SmtpListenerService>());
        builder.Services.AddHostedService<QuarantinePurgeService>();

        using var host = builder.Build();
        await host.RunAsync();
        // After the host: the delivery actor is gone, so the spool's last writes can be flushed.
        (spool as IDisposable)?.Dispose();
        return 0;
    }

    /// <summary>--config PATH, else BULWARK_CONFIG, else cluster-config/bulwark.json in the
    /// current directory. Relative paths inside it are relative to the current directory too.</summary>
    private static string ConfigFile(string? fromArguments)
    {
        if (fromArguments is not null) return fromArguments;
        var fromEnvironment = Environment.GetEnvironmentVariable("BULWARK_CONFIG");
        return string.IsNullOrEmpty(fromEnvironment) ? Path.Combine("cluster-config", "bulwark.json") : fromEnvironment;
    }
}
