using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Cluster;
using Akka.Configuration;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Bulwark.Contracts.IpReputation;
using Bulwark.Contracts.Serialization;
using Bulwark.Entities.IpReputation;

namespace Bulwark.Actors.Tests.Entities;

/// <summary>
/// An actor system that is a one-node cluster (distributed pub-sub needs the cluster
/// provider) with a real SQLite journal, snapshot store and read journal in a temp directory,
/// and the node's serialization (Bulwark's serializer bound in HOCON, the legacy Newtonsoft setup).
/// </summary>
public abstract class ClusterJournalTestKit : TestKit
{
    protected ClusterJournalTestKit() : this(NewDirectory(seedDatabase: null))
    {
    }

    /// <summary>Starts on a copy of <paramref name="seedDatabase"/> (a committed fixture is never
    /// opened itself: the journal would write to it).</summary>
    protected ClusterJournalTestKit(string seedDatabase) : this(NewDirectory(seedDatabase))
    {
    }

    private ClusterJournalTestKit(DirectoryInfo directory) : base(Setup(directory.FullName))
    {
        DatabaseDirectory = directory.FullName;
        var cluster = Cluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);
        AwaitCondition(() => cluster.SelfMember.Status == MemberStatus.Up, TimeSpan.FromSeconds(10));
    }

    protected string DatabaseDirectory { get; }

    /// <summary>The SQLite file of the journal and the snapshot store.</summary>
    protected string DatabasePath => DatabasePathIn(DatabaseDirectory);

    public static string DatabasePathIn(string directory) => Path.Combine(directory, "j.db");

    private static DirectoryInfo NewDirectory(string? seedDatabase)
    {
        var directory = Directory.CreateTempSubdirectory("bulwark-entities-");
        if (seedDatabase is not null)
            File.Copy(seedDatabase, DatabasePathIn(directory.FullName));
        return directory;
    }

    /// <summary>The actor system setup of a node, over the SQLite file in <paramref name="directory"/>.</summary>
    public static ActorSystemSetup Setup(string directory) =>
        BootstrapSetup.Create()
            .WithConfig(ConfigurationFactory.ParseString(Hocon(directory)))
            .And(BulwarkSerialization.LegacyJsonSetup());

    protected IActorRef Mediator => DistributedPubSub.Get(Sys).Mediator;

    /// <summary>A probe subscribed to the block topic (waits for the acknowledgement).</summary>
    protected TestProbe SubscribeToBlocks()
    {
        var probe = CreateTestProbe();
        Mediator.Tell(new Subscribe(Bulwark.Contracts.IpReputation.BlockTopic.Name, probe.Ref), probe.Ref);
        probe.ExpectMsg<SubscribeAck>();
        return probe;
    }

    public static string Hocon(string directory)
    {
        var connection = $"Data Source={DatabasePathIn(directory)}";
        return BulwarkSerialization.Hocon + "\n" + $$"""
            akka.loglevel = INFO
            # CI shares two cores with real servers: a SQLite write can take seconds under load.
            akka.test.single-expect-default = 10s
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
            akka.cluster.min-nr-of-members = 1
            akka.persistence {
              journal {
                plugin = "akka.persistence.journal.sql"
                sql {
                  class = "Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql"
                  connection-string = "{{connection}}"
                  provider-name = "SQLite.MS"
                  auto-initialize = true
                }
              }
              query.journal.sql {
                class = "Akka.Persistence.Sql.Query.SqlReadJournalProvider, Akka.Persistence.Sql"
                connection-string = "{{connection}}"
                provider-name = "SQLite.MS"
                {{JournalRetention.ReadJournalGapSettings}}
              }
              snapshot-store {
                plugin = "akka.persistence.snapshot-store.sql"
                sql {
                  class = "Akka.Persistence.Sql.Snapshot.SqlSnapshotStore, Akka.Persistence.Sql"
                  connection-string = "{{connection}}"
                  provider-name = "SQLite.MS"
                  auto-initialize = true
                }
              }
            }
            """;
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        try
        {
            Directory.Delete(DatabaseDirectory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; a temp directory left behind is harmless.
        }
    }
}
