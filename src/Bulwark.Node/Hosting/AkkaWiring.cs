using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Hosting;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Persistence.Sql.Hosting;
using Akka.Remote.Hosting;
using Bulwark.Delivery;
using Bulwark.Delivery.Spool;
using Bulwark.Delivery.Transports;
using Bulwark.Entities.DnsPolicy;
using Bulwark.Entities.IpReputation;
using Bulwark.Entities.RecipientDirectory;
using Bulwark.Node.Configuration;
using Bulwark.Admin.Dashboard;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Spf;
using LinqToDB;
using Bulwark.Contracts.Serialization;
using Bulwark.Contracts.Sharding;
using Bulwark.NodeCaches;
using Bulwark.Policy.Recipients;
using Bulwark.Dns;
using Bulwark.Dns.Spf;
using Bulwark.Admin;
using Bulwark.Admin.Logging;

namespace Bulwark.Node.Hosting;

/// <summary>
/// Wires one node from its settings: remoting and cluster membership, SQL persistence, the
/// sharded entities (regions on policy nodes, proxies on listener-only nodes), the block
/// cache and the delivery actor.
/// </summary>
public static class AkkaWiring
{
    public static AkkaConfigurationBuilder ConfigureBulwark(this AkkaConfigurationBuilder akka, BulwarkSettings settings,
        BlockList blocks, ISpool spool, IDnsResolver dns, NodeStatsSources stats, RecipientDirectoryOptions directory)
    {
        var node = settings.Node;
        var seeds = settings.Cluster.SeedNodes.Count > 0
            ? settings.Cluster.SeedNodes.ToArray()
            : [$"akka.tcp://bulwark@{settings.Cluster.Host}:{settings.Cluster.Port}"];

        // Members report the build they run, so a rolling upgrade is visible in `bulwark cluster`.
        var version = typeof(AkkaWiring).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        akka.AddHocon($"akka.cluster.app-version = \"{version}\"", HoconAddMode.Prepend);
        akka.AddHocon("""
            akka.coordinated-shutdown.exit-clr = off
            # The host drives shutdown: SMTP drains first, then the actor system leaves the cluster.
            akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
            akka.cluster.sharding.state-store-mode = ddata
            akka.cluster.sharding.remember-entities = off
            akka.cluster.downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
            akka.cluster.split-brain-resolver.active-strategy = keep-majority
            akka.log-dead-letters = 10
            # One buffered write per 100 ms instead of a console write per line (BufferedConsoleLogger).
            akka.loggers = ["Bulwark.Admin.Logging.BufferedConsoleLogger, Bulwark.Admin"]
            akka.log-dead-letters-during-shutdown = off
            """, HoconAddMode.Prepend)
            // The entity's deletions leave gaps in the journal's ordering; the read journal passes them quickly.
            .AddHocon($"akka.persistence.query.journal.sql {{ {JournalRetention.ReadJournalGapSettings} }}", HoconAddMode.Prepend)
            // Every contract (sharded messages and replies, block events, the entity's snapshot) goes
            // through Bulwark's own serializer; rows older releases wrote with Newtonsoft still load
            // through the legacy type table (docs/operations.md, "Upgrades and the journal").
            .AddHocon(BulwarkSerialization.Hocon, HoconAddMode.Prepend)
            .AddSetup(BulwarkSerialization.LegacyJsonSetup())
            .WithRemoting(settings.Cluster.Host, settings.Cluster.Port)
            .WithClustering(new ClusterOptions { Roles = node.Roles.ToArray(), SeedNodes = seeds })
            // Journal and snapshot store (the IpReputation entity snapshots every few events) in one database.
            .WithSqlPersistence(settings.Persistence.ConnectionString, settings.Persistence.Provider switch
            {
                // SQLite for one node; a farm shares one PostgreSQL so a block outlives the node that decided it.
                PersistenceProvider.PostgreSql => ProviderName.PostgreSQL15,
                _ => ProviderName.SQLiteMS,
            }, mode: Akka.Persistence.Hosting.PersistenceMode.Both)
            .WithDistributedPubSub(role: null!);

        var reputation = ReputationOptionsFrom(settings.Reputation);
        if (node.IsPolicy)
        {
            akka.WithShardRegion<IpReputationRegion>(ShardNames.IpReputation,
                    (_, _, _) => key => IpReputationActor.Props(reputation, key),
                    EntityMessageExtractors.IpReputation(),
                    // The entity passivates itself when it holds nothing; idle passivation would drop open-connection counts.
                    new ShardOptions { Role = "policy", RememberEntities = false, PassivateIdleEntityAfter = TimeSpan.Zero })
                .WithShardRegion<RecipientDirectoryRegion>(ShardNames.RecipientDirectory,
                    (_, _, _) => key => RecipientDirectoryActor.Props(directory, key),
                    EntityMessageExtractors.RecipientDirectory(), new ShardOptions { Role = "policy", RememberEntities = false })
                .WithShardRegion<DnsPolicyRegion>(ShardNames.DnsPolicy,
                    (_, _, _) => _ => DnsPolicyActor.Props(dns, new SpfOptions { ReceivingHost = node.Hostname },
                        new DnsPolicySettings { PublicSuffixes = Bulwark.Dns.Dmarc.PublicSuffixListFile.Load(settings.Dns.PublicSuffixList).List }),
                    EntityMessageExtractors.DnsPolicy(), new ShardOptions { Role = "policy", RememberEntities = false });
        }
        else
        {
            akka.WithShardRegionProxy<IpReputationRegion>(ShardNames.IpReputation, "policy", EntityMessageExtractors.IpReputation())
                .WithShardRegionProxy<RecipientDirectoryRegion>(ShardNames.RecipientDirectory, "policy", EntityMessageExtractors.RecipientDirectory())
                .WithShardRegionProxy<DnsPolicyRegion>(ShardNames.DnsPolicy, "policy", EntityMessageExtractors.DnsPolicy());
        }

        return akka.WithActors((system, registry) =>
        {
            var journal = ReadJournal(system);
            registry.Register<BlockCacheKey>(system.ActorOf(BlockCacheActor.FromJournal(blocks, journal), "block-cache"));

            IDeliveryTransport transport = settings.Delivery.NextHop.Configured
                ? new SmtpNextHopTransport(new SmtpNextHopOptions(settings.Delivery.NextHop.Host, settings.Delivery.NextHop.Port)
                {
                    ConnectTimeout = settings.Delivery.NextHop.Timeout,
                    CommandTimeout = settings.Delivery.NextHop.Timeout,
                    HeloName = node.Hostname,
                    PoolSize = settings.Delivery.NextHop.PoolSize,
                    IdleTimeout = settings.Delivery.NextHop.IdleTimeout,
                    MaxConnectionAge = settings.Delivery.NextHop.MaxConnectionAge,
                    MaxMessagesPerConnection = settings.Delivery.NextHop.MaxMessagesPerConnection,
                })
                : new MaildirTransport(settings.Delivery.MaildirDirectory);
            var options = new DeliveryOptions
            {
                MaxConcurrent = settings.Delivery.MaxConcurrent,
                InitialRetry = settings.Delivery.InitialRetry,
                MaxRetry = settings.Delivery.MaxRetry,
                MaxAge = settings.Delivery.MaxAge,
            };
            var delivery = system.ActorOf(DeliveryActor.Props(spool, transport, options), "delivery");
            if (transport is IAsyncDisposable closable)
            {
                // Idle next-hop connections get their QUIT once deliveries have stopped.
                Akka.Actor.CoordinatedShutdown.Get(system).AddTask(Akka.Actor.CoordinatedShutdown.PhaseBeforeActorSystemTerminate,
                    "close-next-hop-connections", async () =>
                    {
                        await closable.DisposeAsync();
                        return Akka.Done.Instance;
                    });
            }
            registry.Register<DeliveryActorKey>(delivery);
            stats.Delivery = delivery;
            system.ActorOf(NodeStatsActor.Props(stats), GetNodeStats.ActorName);
            Akka.Cluster.Cluster.Get(system).RegisterOnMemberUp(() => stats.UpSince = DateTimeOffset.UtcNow);
        });
    }

    /// <summary>
    /// The SQL read journal. Its constructor waits at most 5 s (a fixed limit of the plugin) for
    /// the write journal to connect and create its tables; on a loaded machine, or with a
    /// PostgreSQL that is slow to answer, that is not enough, and the node would not start. The
    /// plugin caches nothing after a failed construction, so asking again is safe: up to
    /// <see cref="JournalStartAttempts"/> times before giving up.
    /// </summary>
    private static SqlReadJournal ReadJournal(Akka.Actor.ActorSystem system)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
            }
            catch (AggregateException e) when (attempt < JournalStartAttempts && e.InnerExceptions.All(x => x is Akka.Actor.AskTimeoutException))
            {
                system.Log.Warning("the journal is not ready after attempt {0} of {1}; waiting again", attempt, JournalStartAttempts);
            }
        }
    }

    private const int JournalStartAttempts = 12;

    private static Bulwark.Policy.Reputation.ReputationOptions ReputationOptionsFrom(ReputationSettings s) => new()
    {
        StrikeThreshold = s.StrikeThreshold,
        StrikeWindow = s.StrikeWindow,
        BaseBlock = s.BaseBlock,
        MaxBlock = s.MaxBlock,
        OffenceMemory = s.OffenceMemory,
        MaxConnectionsPerIp = s.MaxConnectionsPerIp,
        Allowlist = s.Allowlist,
    };

    /// <summary>Reads each domain's recipients file once at start; a bad line stops the node
    /// with the file and line number.</summary>
    public static RecipientDirectoryOptions DirectoryOptionsFrom(IReadOnlyList<DomainSettings> domains, string heloName)
    {
        var sources = domains.Select(d => new DomainDirectorySource(d.Name, d.RecipientsFile, d.CatchAll, new CallAheadOptions
        {
            Enabled = d.CallAhead.Enabled,
            Host = d.CallAhead.Host,
            Port = d.CallAhead.Port,
            HeloName = heloName,
            PositiveTtl = d.CallAhead.PositiveTtl,
            NegativeTtl = d.CallAhead.NegativeTtl,
            Timeout = d.CallAhead.Timeout,
        })).ToList();
        try
        {
            return RecipientDirectoryBuilder.Build(sources, File.ReadLines);
        }
        catch (RecipientDirectoryError e)
        {
            throw new ConfigurationError($"Domains:{e.DomainIndex}:RecipientsFile", e.Message);
        }
    }
}
