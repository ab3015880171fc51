using Bulwark.Policy.Reputation;
using System.Net;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Hosting;
using Bulwark.Content.Quarantine;
using Bulwark.Content.Scanners;
using Bulwark.Delivery.Spool;
using Bulwark.Entities.IpReputation;
using Bulwark.Listener.Gate;
using Bulwark.Listener.Observability;
using Bulwark.Listener.Sessions;
using Bulwark.Listener.Tls;
using Bulwark.Node.Configuration;
using Bulwark.Policy.Dns;
using Microsoft.Extensions.Hosting;
using Bulwark.Admin;
using Bulwark.Admin.Http;
using Bulwark.NodeCaches;
using Bulwark.Policy.Recipients;

namespace Bulwark.Node.Hosting;

/// <summary>
/// Opens the SMTP port once this node is an Up member of the cluster (the sharded entities
/// cannot answer before that), and closes it first on shutdown.
/// </summary>
public sealed class SmtpListenerService(
    ActorSystem system,
    BulwarkSettings settings,
    BlockList blocks,
    ISpool spool,
    IRequiredActor<IpReputationRegion> reputation,
    IRequiredActor<RecipientDirectoryRegion> directory,
    IRequiredActor<DeliveryActorKey> delivery,
    IRequiredActor<BlockCacheKey> blockCache,
    IRequiredActor<DnsPolicyRegion> dnsPolicy,
    ContentScanner scanner,
    QuarantineStore quarantine,
    LiveSessions sessions,
    RecipientDirectoryOptions recipientDirectory) : IHostedService, ISmtpReadiness
{
    private SmtpListener? _listener;
    private TlsCertificateStore? _tls;

    public SmtpListener? Listener => _listener;

    /// <summary>Set when the node starts leaving: readiness goes false before the port closes.</summary>
    public bool Draining { get; private set; }

    public bool ServesSmtp => settings.Node.IsListener;

    public bool Listening => _listener is not null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!settings.Node.IsListener) return;
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Cluster.Get(system).RegisterOnMemberUp(() => up.TrySetResult());
        try
        {
            await up.Task.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
        }
        catch (TimeoutException)
        {
            // A node that cannot join (wrong seeds, unreachable peers) must say so, not limp on.
            Console.Error.WriteLine("bulwark: not an Up cluster member after 2 minutes; check Cluster:SeedNodes and the network");
            throw;
        }
        try
        {
            await (await blockCache.GetAsync(cancellationToken)).Ask<BlockCacheActor.BlockCacheLive>(
                BlockCacheActor.AwaitLive.Instance, TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch (AskTimeoutException)
        {
            // The IpReputation entities still refuse blocked IPs at the connect phase; the gate catches up.
            system.Log.Warning("block cache not rebuilt after 30 s; opening SMTP anyway");
        }

        var listenerSettings = new ListenerSettings(
            settings.Node.Hostname,
            settings.Smtp.Limits,
            settings.Domains.Select(d => d.Name).ToHashSet(StringComparer.OrdinalIgnoreCase),
            settings.Domains[0].Name,
            settings.Smtp.AskTimeout,
            settings.Reputation.Enabled)
        {
            Dns = new DnsChecks(settings.Dns.Enabled,
                settings.Dns.TrustedNetworks.Select(Bulwark.Policy.Reputation.IpNetworks.Parse).ToArray(),
                new MailFromOptions { AcceptPermError = settings.Dns.AcceptSpfPermError },
                settings.Dns.Iprev,
                // SPF may need ten lookups in a row; the evaluator's own budget bounds it.
                TimeSpan.FromSeconds(25)),
            Content = settings.Content.Policy,
            RequireTlsFromDomains = settings.Smtp.RequireTlsFromDomains,
            DkimMaxSignatures = settings.Dns.DkimMaxSignatures,
            Dmarc = DmarcSettingsFrom.Configuration(settings),
        };
        if (listenerSettings.Dmarc.Enabled)
            system.Log.Info("DMARC: Public Suffix List from {0}", Bulwark.Dns.Dmarc.PublicSuffixListFile.Load(settings.Dns.PublicSuffixList).Origin);
        _tls = settings.Smtp.Tls is { } tls
            ? new TlsCertificateStore(tls.CertificateFile, tls.KeyFile, Logging.GetLogger(system, "tls"), tls.ReloadCheck)
            : null;
        var deps = new SessionDependencies(
            await directory.GetAsync(cancellationToken),
            await reputation.GetAsync(cancellationToken),
            await delivery.GetAsync(cancellationToken),
            await dnsPolicy.GetAsync(cancellationToken),
            spool,
            listenerSettings)
        {
            Content = scanner,
            Quarantine = quarantine,
            Sessions = sessions,
            Tls = _tls,
            Directory = settings.Smtp.LocalRecipientAnswers ? recipientDirectory : null,
            CallAheadAnswers = settings.Smtp.LocalRecipientAnswers ? new NodeCallAheadAnswers(recipientDirectory) : null,
            AuthenticationAnswers = new NodeAuthenticationAnswers(),
        };
        _listener = new SmtpListener(new IPEndPoint(settings.Smtp.Address, settings.Smtp.Port), blocks, system, deps,
            settings.Smtp.Timeouts, settings.Smtp.MaxConnections, Logging.GetLogger(system, "smtp"))
        {
            Pregreet = settings.Smtp.Pregreet,
            TrustedProxies = settings.Smtp.TrustedProxies,
            ProxyHeaderTimeout = settings.Smtp.ProxyHeaderTimeout,
        };
        // The checks each phase runs, in order: what this configuration really enforces.
        foreach (var (phase, checks) in deps.Pipelines.Describe())
            system.Log.Info("checks at {0}: {1}", phase, checks.Count == 0 ? "none" : string.Join(", ", checks));
        _listener.Start();
        Console.WriteLine($"bulwark: SMTP ready on {_listener.LocalEndpoint}");
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Draining = true;
        if (_listener is null) return;
        await _listener.StopAsync(settings.Smtp.DrainTimeout);
        await _listener.DisposeAsync();
        _tls?.Dispose();
    }
}
