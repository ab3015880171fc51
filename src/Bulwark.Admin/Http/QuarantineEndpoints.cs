using Akka.Actor;
using Akka.Hosting;
using Bulwark.Content.Quarantine;
using Bulwark.Delivery;
using Bulwark.Delivery.Spool;
using Bulwark.Admin;

namespace Bulwark.Admin.Http;

/// <summary>
/// The quarantine over the admin API:
///   GET    /admin/quarantine               entries, oldest first
///   GET    /admin/quarantine/{id}          metadata and the message text
///   POST   /admin/quarantine/{id}/release  back into the spool, to the quarantined recipients
///   DELETE /admin/quarantine/{id}          gone for good
/// </summary>
public sealed class QuarantineEndpoints(QuarantineStore store, ISpool spool, IRequiredActor<DeliveryActorKey> delivery)
{
    /// <summary>Largest part of a message "show" returns; the rest is on disk.</summary>
    private const int ShowBytes = 256 * 1024;

    public async Task<(int Status, object Body)> RouteAsync(string method, string[] rest)
    {
        switch (method, rest)
        {
            case ("GET", []):
                return (200, store.List());
            case ("GET", [var id]):
                var entry = Find(id);
                if (entry is null) return NotFound(id);
                return (200, new { entry, message = await ReadMessage(id) });
            case ("POST", [var id, "release"]):
                if (Find(id) is null) return NotFound(id);
                var queueId = await store.ReleaseAsync(id, spool);
                (await delivery.GetAsync()).Tell(new Enqueued(queueId));
                return (200, new { released = id, queueId });
            case ("DELETE", [var id]):
                return store.Delete(id) ? (200, new { deleted = id }) : NotFound(id);
            default:
                return (404, new { error = "no such endpoint" });
        }
    }

    private QuarantineEntry? Find(string id)
    {
        try
        {
            return store.Get(id);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private async Task<string> ReadMessage(string id)
    {
        await using var message = store.OpenMessage(id);
        var buffer = new byte[ShowBytes];
        var read = await message.ReadAtLeastAsync(buffer, ShowBytes, throwOnEndOfStream: false);
        var text = System.Text.Encoding.UTF8.GetString(buffer, 0, read);
        return message.Length > read ? text + $"\n[... {message.Length - read} more bytes]" : text;
    }

    private static (int, object) NotFound(string id) => (404, new { error = $"no quarantine entry '{id}'" });
}
