using Akka.Actor;
using Akka.Hosting;
using Bulwark.Delivery;
using Bulwark.Admin;

namespace Bulwark.Admin.Http;

/// <summary>
/// This node's delivery queue over the admin API. Each node delivers from its own spool, so
/// these act on the node the request goes to.
///   GET  /admin/queue                    messages waiting or in delivery, oldest first
///   GET  /admin/queue/stats              depth, in flight, oldest age, dead letters
///   POST /admin/queue/flush              every waiting message due now
///   POST /admin/queue/{id}/retry         one message due now
///   GET  /admin/queue/dead               dead letters
///   POST /admin/queue/dead/{id}/requeue  a dead letter back into the queue
/// </summary>
public sealed class QueueEndpoints(IRequiredActor<DeliveryActorKey> delivery)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task<(int Status, object Body)> RouteAsync(string method, string[] rest, Func<string, string?> query)
    {
        var actor = await delivery.GetAsync();
        switch (method, rest)
        {
            case ("GET", []):
                return (200, await actor.Ask<QueueListing>(new ListQueue(Limit(query)), Timeout));
            case ("GET", ["stats"]):
                return (200, await actor.Ask<SpoolStats>(GetSpoolStats.Instance, Timeout));
            case ("POST", ["flush"]):
                return (200, await actor.Ask<FlushResult>(FlushQueue.Instance, Timeout));
            case ("GET", ["dead"]):
                return (200, await actor.Ask<DeadLetterListing>(new ListDeadLetters(Limit(query)), Timeout));
            case ("POST", ["dead", var id, "requeue"]):
                var requeued = await actor.Ask<RequeueResult>(new RequeueDeadLetter(id), Timeout);
                return (!requeued.Found ? 404 : requeued.Requeued ? 200 : 500, requeued);
            case ("POST", [var id, "retry"]):
                var retried = await actor.Ask<RetryResult>(new RetryNow(id), Timeout);
                return (retried.Found ? 200 : 404, retried);
            default:
                return (404, new { error = "no such endpoint" });
        }
    }

    private static int Limit(Func<string, string?> query) =>
        int.TryParse(query("limit"), out var limit) && limit is > 0 and <= 100_000 ? limit : 1000;
}
