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

    private LocalFarm(PostgresServer postgres, IReadOnlyList<BulwarkNode> nodes)
    {
        Postgres = postgres;
        Nodes = nodes;
    }

    public PostgresServer Postgres { get; }
    public IReadOnlyList<BulwarkNode> Nodes { get; }
    /// <summary>Node n, counted from 1 as in the farm's documentation.</summary>
    public BulwarkNode this[int n] => Nodes[n - 1];

    public static async Task<LocalFarm> StartAsync(int count)
    {
        var postgres = await PostgresServer.StartAsync();
        var nodes = new List<BulwarkNode>();
        try
        {
            var seedPort = FreePort.Next();
            for (var n = 1; n <= count; n++)
            {
                nodes.Add(new BulwarkNode(FreePort.Next(), n == 1 ? seedPort : FreePort.Next(), FreePort.Next(), new Dictionary<string, string>
                {
                    ["BULWARK_Cluster__SeedNodes"] = $"akka.tcp://bulwark@127.0.0.1:{seedPort}",
                    ["BULWARK_Persistence__Provider"] = "postgresql",
                    ["BULWARK_Persistence__ConnectionString"] = postgres.ConnectionString,
                    ["BULWARK_Reputation__StrikeThreshold"] = StrikeThreshold.ToString(),
                    ["BULWARK_Reputation__BaseBlockSeconds"] = "600",
                    ["BULWARK_Node__Hostname"] = $"mx{n}.example.test",
                }));
            }
            // The seed first (it forms the cluster by joining itself), then the others together.
            await nodes[0].StartAgainAsync();
            await Task.WhenAll(nodes.Skip(1).Select(node => node.StartAgainAsync()));
            var farm = new LocalFarm(postgres, nodes);
            foreach (var node in nodes)
                await farm.WaitForMembersAsync(node, nodes.Select(x => x.ClusterAddress), TimeSpan.FromSeconds(60));
            return farm;
        }
        catch
        {
            foreach (var node in nodes) node.Dispose();
            postgres.Dispose();
            throw;
        }
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

    public async ValueTask DisposeAsync()
    {
        // Kill in parallel: one by one would let the survivors spend time downing the others.
        await Task.WhenAll(Nodes.Select(node => Task.Run(node.Dispose)));
        Postgres.Dispose();
    }
}
