using Akka.Actor;
using Bulwark.Content.Quarantine;
using Bulwark.Content.Scanners;
using Bulwark.Policy.Dns;
using Bulwark.Listener.Observability;
using Bulwark.Admin.Dashboard;
using Bulwark.Dns;
using Bulwark.Tests.Shared;

namespace Bulwark.Admin.Tests.Dashboard;

/// <summary>The dashboard of one node asks every other node for its report: the report must
/// survive the cluster's default serializer intact.</summary>
public sealed class NodeStatsReportSerializationTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("serialization-test");

    [Fact]
    public void A_report_crosses_the_network_intact()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var report = new NodeStatsReport("akka.tcp://bulwark@127.0.0.1:4053", "mx1.example", "0.5.0", now, now.AddSeconds(3),
            new List<SessionView> { new("n1-1", "127.0.0.5", SmtpPhase.Rcpt, now, "client.test", "a@b.test", 2) },
            1,
            new ConnectionCounts(10, 2, 1, 0),
            new SpoolView(3, 1, 12.5, 0),
            new DnsCacheView(100, 20, 100 / 120.0, 50),
            Sources().Scanners(),
            new QuarantineView(2, 4096),
            new List<VerdictBucket> { new(1_800_000_000, new List<VerdictCount> { new("rcpt", "550", "5.1.1", 4) }) },
            new List<VerdictCount> { new("rcpt", "550", "5.1.1", 4) },
            new AuthenticationView(5, 1, 4, 2, 7, 1, 1, 0, 1, 3, 0));

        var serializer = _system.Serialization.FindSerializerFor(report);
        var copy = (NodeStatsReport)_system.Serialization.Deserialize(serializer.ToBinary(report), serializer.Identifier, typeof(NodeStatsReport));

        Assert.Equal(report.Address, copy.Address);
        Assert.Equal(report.UpSince, copy.UpSince);
        Assert.Equal(report.Sessions.Single(), copy.Sessions.Single());
        Assert.Equal(report.Connections, copy.Connections);
        Assert.Equal(report.Spool, copy.Spool);
        Assert.Equal(report.Scanners, copy.Scanners);
        Assert.Equal("closed", copy.Scanners[0].State);
        Assert.Equal("not-configured", copy.Scanners[1].State);
        Assert.Equal(report.Verdicts.Single().Counts.Single(), copy.Verdicts.Single().Counts.Single());
        Assert.Equal(report.VerdictTotals.Single(), copy.VerdictTotals.Single());
        Assert.Equal(report.Authentication, copy.Authentication);
    }

    /// <summary>The real producer of the lists, so a list type the serializer cannot rebuild fails here.</summary>
    private NodeStatsSources Sources() => new("mx1.example", new LiveSessions(),
        new CachingDnsResolver(new InMemoryDnsResolver()),
        new ContentScanner(new ContentScannerOptions { ClamdEndpoint = "127.0.0.1:3310" }),
        new QuarantineStore(_quarantine.FullName, TimeSpan.FromDays(1)));

    private readonly DirectoryInfo _quarantine = Directory.CreateTempSubdirectory("bulwark-node-tests-");

    public void Dispose()
    {
        _system.Dispose();
        _quarantine.Delete(recursive: true);
    }
}
