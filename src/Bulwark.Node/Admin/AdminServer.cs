using System.Net;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Bulwark.Entities.IpReputation;
using Bulwark.Node.Configuration;
using Bulwark.Node.Hosting;
using Bulwark.Policy.Reputation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bulwark.Node.Admin;

/// <summary>
/// The operator's door into a node: a small HTTP API on loopback (the CLI's other end).
///   GET    /admin/blocks                    blocks this node's accept gate knows
///   GET    /admin/ip/{ip}                   the IpReputation entity's view of an IP
///   POST   /admin/blocks/{ip}?minutes=&amp;reason=  block (through the entity, so farm-wide)
///   DELETE /admin/blocks/{ip}               unblock
///   /admin/quarantine...                    see <see cref="QuarantineEndpoints"/>
///   /admin/cluster, /admin/shards           see <see cref="ClusterEndpoints"/>
/// </summary>
public sealed class AdminServer(
    BulwarkSettings settings,
    BlockList blocks,
    IRequiredActor<IpReputationRegion> reputation,
    QuarantineEndpoints quarantine,
    ClusterEndpoints cluster,
    ILogger<AdminServer> log) : BackgroundService
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.Admin.Port == 0) return;
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://{settings.Admin.Address}:{settings.Admin.Port}/");
        listener.Start();
        log.LogInformation("admin API on http://{Address}:{Port}/admin", settings.Admin.Address, settings.Admin.Port);
        await using var stop = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            _ = HandleAsync(context);
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            var (status, body) = await RouteAsync(context.Request);
            await Write(response, status, body);
        }
        catch (AskTimeoutException)
        {
            await Write(response, 503, new { error = "the IpReputation entity did not answer in time" });
        }
        catch (Exception e)
        {
            log.LogError(e, "admin request failed");
            await Write(response, 500, new { error = e.Message });
        }
    }

    private async Task<(int Status, object Body)> RouteAsync(HttpListenerRequest request)
    {
        var parts = request.Url!.AbsolutePath.Trim('/').Split('/');
        var method = request.HttpMethod;
        if (parts is ["admin", "blocks"] && method == "GET")
            return (200, blocks.Snapshot().Values.OrderBy(b => b.IpKey).Select(b => new { ip = b.IpKey, until = b.Until, reason = b.Reason }));
        if (parts is ["admin", "cluster" or "shards"])
            return await cluster.RouteAsync(method, parts[1..]);
        if (parts.Length >= 2 && parts[0] == "admin" && parts[1] == "quarantine")
            return await quarantine.RouteAsync(method, parts[2..]);
        if (parts.Length < 3 || parts[0] != "admin") return (404, new { error = "no such endpoint" });

        var target = Uri.UnescapeDataString(string.Join('/', parts[2..]));
        if (!IpKey.TryParse(target, out var key)) return (400, new { error = $"'{target}' is not an IP address or IPv6 /64" });
        var region = await reputation.GetAsync();
        var timeout = settings.Smtp.AskTimeout;
        switch (parts[1], method)
        {
            case ("ip", "GET"):
                return (200, await region.Ask<IpStatus>(new GetIpStatus(key), timeout));
            case ("blocks", "POST"):
                var minutesText = request.QueryString["minutes"] ?? "60";
                if (!double.TryParse(minutesText, System.Globalization.CultureInfo.InvariantCulture, out var minutes) || minutes <= 0 || minutes > 525_600)
                    return (400, new { error = $"minutes '{minutesText}' must be a number in 0..525600" });
                var reason = request.QueryString["reason"] ?? "blocked by operator";
                return (200, await region.Ask<IpStatus>(new BlockIp(key, TimeSpan.FromMinutes(minutes), reason), timeout));
            case ("blocks", "DELETE"):
                return (200, await region.Ask<IpStatus>(new UnblockIp(key, request.QueryString["reason"] ?? "unblocked by operator"), timeout));
            default:
                return (404, new { error = "no such endpoint" });
        }
    }

    private static async Task Write(HttpListenerResponse response, int status, object body)
    {
        try
        {
            var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body, Json) + "\n");
            response.StatusCode = status;
            response.ContentType = "application/json";
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes);
        }
        finally
        {
            response.Close();
        }
    }
}
