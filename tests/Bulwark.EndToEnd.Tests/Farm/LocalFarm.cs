using System.Net.Http;
using System.Text.Json;
using Bulwark.EndToEnd.Tests.Infrastructure;
using Bulwark.Tests.Shared;

namespace Bulwark.EndToEnd.Tests.Farm;

/// <summary>
/// N real node processes on loopback sharing one private PostgreSQL: each node has its own
/// SMTP, cluster and admin ports and data folder; node 1 is the seed every node lists.
/// Reputation thresholds are low so a block takes three unknown recipients.
/// Dispose stops every node and the database by pid.
/// </summary>
public sealed class LocalFarm : IAsyncDisposable
{
    public const int StrikeThreshold = 3;
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private readonly List<BulwarkNode> _nodes;
    private readonly int _seedPort;
    private readonly IReadOnlyDictionary<string, string> _extraEnvironment;

    private LocalFarm(PostgresServer postgres, List<BulwarkNode> nodes, int seedPort, IReadOnlyDictionary<string, string> extraEnvironment)
    {
        Postgres = postgres;
        _nodes = nodes;
        _seedPort = seedPort;
        _extraEnvironment = extraEnvironment;
    }

    public PostgresServer Postgres { get; }
    public IReadOnlyList<BulwarkNode> Nodes => _nodes;
    /// <summary>Node n, counted from 1 as in the farm's documentation.</summary>
    public BulwarkNode this[int n] => Nodes[n - 1];

    /// <param name="awaitBlockReplication">Also wait until a block reaches every node's local cache
    /// (see <see cref="AwaitBlockReplicationAsync"/>); false to test the first seconds of a farm.</param>
    /// <param name="environment">Extra settings for every node, also those added later (e.g. the next hop).</param>
    public static async Task<LocalFarm> StartAsync(int count, bool awaitBlockReplication = true,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var postgres = await PostgresServer.StartAsync();
        var nodes = new List<BulwarkNode>();
        try
        {
            var seedPort = FreePort.Next();
            var farm = new LocalFarm(postgres, nodes, seedPort, environment ?? new Dictionary<string, string>());
            for (var n = 1; n <= count; n++) nodes.Add(farm.NewNode(n));
            // The seed first (it forms the cluster by joining itself), then the others together.
            await nodes[0].StartAgainAsync();
            await Task.WhenAll(nodes.Skip(1).Select(node => node.StartAgainAsync()));
            foreach (var node in nodes)
                await farm.WaitForMembersAsync(node, nodes.Select(x => x.ClusterAddress), TimeSpan.FromSeconds(60));
            if (awaitBlockReplication) await farm.AwaitBlockReplicationAsync();
            return farm;
        }
        catch
        {
            foreach (var node in nodes) node.Dispose();
            postgres.Dispose();
            throw;
        }
    }

    private BulwarkNode NewNode(int n)
    {
        var settings = new Dictionary<string, string>
        {
            ["BULWARK_Cluster__SeedNodes"] = $"akka.tcp://bulwark@127.0.0.1:{_seedPort}",
            ["BULWARK_Persistence__Provider"] = "postgresql",
            ["BULWARK_Persistence__ConnectionString"] = Postgres.ConnectionString,
            ["BULWARK_Reputation__StrikeThreshold"] = StrikeThreshold.ToString(),
            ["BULWARK_Reputation__BaseBlockSeconds"] = "600",
            ["BULWARK_Node__Hostname"] = $"mx{n}.example.test",
        };
        foreach (var (key, value) in _extraEnvironment) settings[key] = value;
        return new BulwarkNode(FreePort.Next(), n == 1 ? _seedPort : FreePort.Next(), FreePort.Next(), settings);
    }

    /// <summary>Scale-out: starts one more node (the next number, same settings) and waits until
    /// it and every earlier node see all members Up. Disposed with the farm.</summary>
    public async Task<BulwarkNode> AddNodeAsync(TimeSpan timeout)
    {
        var node = NewNode(_nodes.Count + 1);
        _nodes.Add(node);
        await node.StartAgainAsync();
        foreach (var observer in _nodes)
            await WaitForMembersAsync(observer, _nodes.Select(x => x.ClusterAddress), timeout);
        return node;
    }

    /// <summary>GET /admin/cluster at one node: each member's address and status as that node sees it.</summary>
    public static async Task<IReadOnlyList<(string Address, string Status, bool Reachable)>> MembersAsync(BulwarkNode node)
    {
        using var json = JsonDocument.Parse(await Http.GetStringAsync($"{node.AdminUrl}/admin/cluster"));
        return ParseMembers(json.RootElement);
    }

    public static IReadOnlyList<(string Address, string Status, bool Reachable)> ParseMembers(JsonElement root) =>
        root.GetProperty("members").EnumerateArray()
            .Select(m => (m.GetProperty("address").GetString()!, m.GetProperty("status").GetString()!, m.GetProperty("reachable").GetBoolean()))
            .ToList();

    /// <summary>Polls until the node sees exactly these members, all Up and reachable.</summary>
    public async Task WaitForMembersAsync(BulwarkNode observer, IEnumerable<string> addresses, TimeSpan timeout)
    {
        var expected = addresses.OrderBy(a => a, StringComparer.Ordinal).ToArray();
        var deadline = DateTime.UtcNow + timeout;
        IReadOnlyList<(string Address, string Status, bool Reachable)> seen = [];
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                seen = await MembersAsync(observer);
                if (seen.All(m => m is { Status: "Up", Reachable: true }) &&
                    seen.Select(m => m.Address).OrderBy(a => a, StringComparer.Ordinal).SequenceEqual(expected))
                    return;
            }
            catch (HttpRequestException) { /* admin API not up yet */ }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{observer.ClusterAddress} did not see [{string.Join(", ", expected)}] Up within {timeout}; " +
                                   $"it saw [{string.Join(", ", seen)}]\n{observer.Output}");
    }

    /// <summary>
    /// Blocks canary IPs (127.0.0.250 and up, one minute, through node 1's admin API) until one
    /// reaches every node's local block cache within 1.5 s. Needed because, for a few seconds after
    /// a node joins, distributed pub-sub has not yet gossiped its block-cache subscription to the
    /// other nodes and blocks published then never reach it (reported to the lead; see
    /// BlockReplicationRaceTests). Returns the number of canaries it took.
    /// </summary>
    public async Task<int> AwaitBlockReplicationAsync()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var canary = $"127.0.0.{250 + attempt}";
            using var response = await Http.PostAsync($"{this[1].AdminUrl}/admin/blocks/{canary}?minutes=1&reason=canary", null);
            response.EnsureSuccessStatusCode();
            var everywhere = true;
            foreach (var node in Nodes)
                everywhere &= await WaitForLocalBlockAsync(node, canary, TimeSpan.FromSeconds(1.5)) is not null;
            if (everywhere) return attempt + 1;
        }
        throw new TimeoutException("no canary block reached every node's local block cache");
    }

    /// <summary>GET /admin/blocks at one node: the IPs in that node's local block cache (what its accept gate checks).</summary>
    public static async Task<IReadOnlySet<string>> LocalBlocksAsync(BulwarkNode node)
    {
        using var json = JsonDocument.Parse(await Http.GetStringAsync($"{node.AdminUrl}/admin/blocks"));
        return json.RootElement.EnumerateArray().Select(b => b.GetProperty("ip").GetString()!).ToHashSet();
    }

    /// <summary>Polls until the node's local block cache holds the IP; the time it took, or null.</summary>
    public static async Task<TimeSpan?> WaitForLocalBlockAsync(BulwarkNode node, string ip, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if ((await LocalBlocksAsync(node)).Contains(ip)) return clock.Elapsed;
            if (clock.Elapsed >= timeout) return null;
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Kill in parallel: one by one would let the survivors spend time downing the others.
        await Task.WhenAll(Nodes.Select(node => Task.Run(node.Dispose)));
        Postgres.Dispose();
    }
}
