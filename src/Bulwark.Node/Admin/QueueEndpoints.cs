using Akka.Actor;
using Akka.Hosting;
using Bulwark.Delivery;
using Bulwark.Node.Hosting;

namespace Bulwark.Node.Admin;

/// <summary>
/// This node's delivery queue over the admin API:
///   GET  /admin/queue              messages waiting or in delivery
/// </summary>
public sealed class QueueEndpoints(IRequiredActor<DeliveryActorKey> delivery)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task<(int Status, object Body)> RouteAsync(string method, string[] rest)
    {
        var actor = await delivery.GetAsync();
        switch (method, rest)
        {
            case ("GET", []):
                return (200, await actor.Ask<QueueStatus>(GetQueueStatus.Instance, Timeout));
            default:
                return (404, new { error = "no such endpoint" });
        }
    }
}
