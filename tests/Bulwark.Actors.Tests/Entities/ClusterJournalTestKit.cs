using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Bulwark.Contracts.IpReputation;

namespace Bulwark.Actors.Tests.Entities;

/// <summary>
/// An actor system that is a one-node cluster (distributed pub-sub needs the cluster
/// provider) with a real SQLite journal, snapshot store and read journal in a temp directory.
/// </summary>
public abstract class ClusterJournalTestKit : TestKit
{
    protected ClusterJournalTestKit() : this(Directory.CreateTempSubdirectory("bulwark-entities-").FullName)
    {
    }

    private ClusterJournalTestKit(string directory) : base(Hocon(directory))
    {
        DatabaseDirectory = directory;
        var cluster = Cluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);
        AwaitCondition(() => cluster.SelfMember.Status == MemberStatus.Up, TimeSpan.FromSeconds(10));
    }

    protected string DatabaseDirectory { get; }

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
        var connection = $"Data Source={Path.Combine(directory, "j.db")}";
        return $$"""
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
