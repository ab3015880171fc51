using Microsoft.Extensions.Logging;

namespace Bulwark.Delivery.Spool;

/// <summary>
/// Start-up cleanup, run once by the FileSpool constructor before anyone writes. It is not done in
/// List(), which runs while sessions commit and would otherwise delete their work in progress.
/// </summary>
internal static class SpoolRecovery
{
    public static void Run(FileSpool spool, ILogger log)
    {
        // tmp/: entries never committed (no 250 was sent for them) and stale envelope updates.
        foreach (var path in Directory.EnumerateFiles(spool.TmpDir))
        {
            FileSpool.TryDelete(path);
            log.LogInformation("Spool recovery removed stale {Path}", path);
        }

        foreach (var bodyPath in Directory.EnumerateFiles(spool.QueueDir, "*.eml"))
        {
            var id = Path.GetFileNameWithoutExtension(bodyPath);
            if (File.Exists(spool.QueuePath(id, ".env"))) continue;
            if (File.Exists(spool.DeadPath(id, ".env")))
            {
                // A dead-letter move interrupted between envelope and body: finish it.
                File.Move(bodyPath, spool.DeadPath(id, ".eml"), overwrite: true);
                log.LogWarning("Spool recovery finished dead-lettering {QueueId}", id);
            }
            else
            {
                // A commit interrupted before the envelope rename (no 250 sent), or a delete
                // interrupted after the envelope went.
                FileSpool.TryDelete(bodyPath);
                log.LogWarning("Spool recovery removed body without envelope {QueueId}", id);
            }
        }

        foreach (var envPath in Directory.EnumerateFiles(spool.QueueDir, "*.env"))
        {
            var id = Path.GetFileNameWithoutExtension(envPath);
            if (File.Exists(spool.QueuePath(id, ".eml"))) continue;
            // Cannot happen with rename order body-then-envelope on a journalled fs; be safe.
            FileSpool.TryDelete(envPath);
            log.LogError("Spool recovery removed envelope without body {QueueId}", id);
        }

        foreach (var envPath in Directory.EnumerateFiles(spool.DeadDir, "*.env"))
        {
            var id = Path.GetFileNameWithoutExtension(envPath);
            if (File.Exists(spool.DeadPath(id, ".eml")) || !File.Exists(spool.QueuePath(id, ".env"))) continue;
            // A requeue interrupted after the message was complete in queue/: it is queued again,
            // so its old dead-letter envelope and reason must not list it as dead too.
            FileSpool.TryDelete(envPath);
            FileSpool.TryDelete(spool.DeadPath(id, ".reason"));
            log.LogWarning("Spool recovery finished requeueing {QueueId}", id);
        }
    }
}
