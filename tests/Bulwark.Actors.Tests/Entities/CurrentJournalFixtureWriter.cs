using Akka.Actor;
using Bulwark.Contracts.IpReputation;
using Bulwark.Contracts.Serialization;
using Bulwark.Entities.IpReputation;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Actors.Tests.Entities;

/// <summary>
/// Writes <see cref="CurrentJournalFixture"/> with this build, so that the next change of the
/// journal format has a fixture of this one to replay. Every run writes it to a temp folder and
/// checks it; to refresh the committed file (only when the format changes on purpose):
/// <code>
/// BULWARK_WRITE_JOURNAL_FIXTURE_TO=$PWD/tests/Bulwark.Actors.Tests/Fixtures \
///   dotnet test tests/Bulwark.Actors.Tests -c Release --filter FullyQualifiedName~CurrentJournalFixtureWriter
/// </code>
/// </summary>
public sealed class CurrentJournalFixtureWriter : ClusterJournalTestKit
{
    private readonly Func<DateTimeOffset> _clock = () => CurrentJournalFixture.WrittenAt;

    private IActorRef Entity(string key) =>
        Sys.ActorOf(IpReputationActor.Props(CurrentJournalFixture.Options, key, clock: _clock));

    private IpStatus Ask(IActorRef entity, object message)
    {
        entity.Tell(message);
        return ExpectMsg<IpStatus>();
    }

    private void Strikes(IActorRef entity, string key, int count)
    {
        for (var i = 0; i < count; i++)
            entity.Tell(new ReportEvidence(key, Evidence.UnknownRecipient, CurrentJournalFixture.WrittenAt));
        // A status after the tells: they are handled, and the block persisted, before it answers.
        Ask(entity, new GetIpStatus(key));
    }

    [Fact]
    public void Writes_the_fixture_of_this_journal_format()
    {
        Ask(Entity("192.0.2.7"), new BlockIp("192.0.2.7", TimeSpan.FromMinutes(60), "manual fixture"));
        Ask(Entity("198.51.100.9"), new BlockIp("198.51.100.9", TimeSpan.FromMinutes(1440), "second operator block"));
        Ask(Entity("2001:db8:1:2::/64"), new BlockIp("2001:db8:1:2::/64", TimeSpan.FromMinutes(30), "v6 operator block"));
        var lifted = Entity("203.0.113.4");
        Ask(lifted, new BlockIp("203.0.113.4", TimeSpan.FromMinutes(10), "to be lifted"));
        Ask(lifted, new UnblockIp("203.0.113.4", "unblocked by operator"));
        Strikes(Entity("127.0.0.9"), "127.0.0.9", 3);

        const string key = CurrentJournalFixture.SnapshotKey;
        var rounds = Entity(key);
        for (var round = 1; round <= 5; round++)
        {
            Ask(rounds, new BlockIp(key, TimeSpan.FromMinutes(10), $"round {round}"));
            Ask(rounds, new UnblockIp(key, $"round {round} lifted"));
        }
        // The snapshot at 10 and the deletion it allows happen after the replies.
        AwaitAssert(() =>
        {
            Assert.Single(JournalRows.Snapshots(DatabasePath, "ip-" + key));
            Assert.Equal([9L, 10L], JournalRows.Events(DatabasePath, "ip-" + key).Select(r => r.SequenceNr));
        }, TimeSpan.FromSeconds(10));
        Strikes(rounds, key, 3);

        // One row for each of the four single-block IPs, two for 203.0.113.4; of the rounds,
        // 9 (kept, flagged deleted, for the highest sequence number), 10 and the strike block 11.
        var rows = JournalRows.Events(DatabasePath);
        Assert.Equal(9, rows.Count);
        Assert.All(rows, r => Assert.Equal(BulwarkSerializer.Id, r.Identifier));
        Assert.Equal("ip-snapshot", Assert.Single(JournalRows.Snapshots(DatabasePath, "ip-" + key)).Manifest);

        var output = Environment.GetEnvironmentVariable(CurrentJournalFixture.OutputVariable);
        if (string.IsNullOrEmpty(output))
            return;
        // The actor system lets go of the file first, so the copy is a closed database.
        Shutdown(Sys, verifySystemShutdown: true);
        File.Copy(DatabasePath, Path.Combine(output, CurrentJournalFixture.FileName), overwrite: true);
    }
}
