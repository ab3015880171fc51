using Akka.Actor;
using Akka.Hosting;
using Bulwark.Policy.Reputation;
using Bulwark.Contracts.IpReputation;
using Bulwark.NodeCaches;
using Bulwark.Admin;

namespace Bulwark.Admin.Http;

/// <summary>
/// The admin API behind /admin (the CLI's other end). Answers (status, body) for JSON:
///   GET    /admin/blocks                          blocks this node's accept gate knows
///   GET    /admin/ip/{ip}                         the IpReputation entity's view of an IP
///   POST   /admin/blocks/{ip}?minutes=&amp;reason=    block (through the entity, so farm-wide)
///   DELETE /admin/blocks/{ip}                     unblock
///   /admin/quarantine...                          see <see cref="QuarantineEndpoints"/>
///   /admin/queue...                               see <see cref="QueueEndpoints"/>
///   /admin/cluster, /admin/shards                 see <see cref="ClusterEndpoints"/>
/// </summary>
public sealed class AdminApi(
    AdminSettings settings,
    BlockList blocks,
    IRequiredActor<IpReputationRegion> reputation,
    QuarantineEndpoints quarantine,
    QueueEndpoints queue,
    ClusterEndpoints cluster)
{
    public async Task<(int Status, object Body)> RouteAsync(string method, string[] parts, Func<string, string?> query)
    {
        if (parts is ["admin", "blocks"] && method == "GET")
            return (200, blocks.Snapshot().Values.OrderBy(b => b.IpKey).Select(b => new { ip = b.IpKey, until = b.Until, reason = b.Reason }));
        if (parts is ["admin", "cluster" or "shards"])
            return await cluster.RouteAsync(method, parts[1..]);
        if (parts.Length >= 2 && parts[0] == "admin" && parts[1] == "quarantine")
            return await quarantine.RouteAsync(method, parts[2..]);
        if (parts.Length >= 2 && parts[0] == "admin" && parts[1] == "queue")
            return await queue.RouteAsync(method, parts[2..], query);
        if (parts.Length < 3 || parts[0] != "admin") return (404, new { error = "no such endpoint" });

        var target = Uri.UnescapeDataString(string.Join('/', parts[2..]));
        if (!IpKey.TryParse(target, out var key)) return (400, new { error = $"'{target}' is not an IP address or IPv6 /64" });
        var region = await reputation.GetAsync();
        var timeout = settings.AskTimeout;
        switch (parts[1], method)
        {
            case ("ip", "GET"):
                return (200, await region.Ask<IpStatus>(new GetIpStatus(key), timeout));
            case ("blocks", "POST"):
                var minutesText = query("minutes") ?? "60";
                if (!double.TryParse(minutesText, System.Globalization.CultureInfo.InvariantCulture, out var minutes) || minutes <= 0 || minutes > 525_600)
                    return (400, new { error = $"minutes '{minutesText}' must be a number in 0..525600" });
                var reason = query("reason") ?? "blocked by operator";
                return (200, await region.Ask<IpStatus>(new BlockIp(key, TimeSpan.FromMinutes(minutes), reason), timeout));
            case ("blocks", "DELETE"):
                return (200, await region.Ask<IpStatus>(new UnblockIp(key, query("reason") ?? "unblocked by operator"), timeout));
            default:
                return (404, new { error = "no such endpoint" });
        }
    }
}
