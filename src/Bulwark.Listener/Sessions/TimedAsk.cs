using System.Diagnostics;
using Akka.Actor;
using Bulwark.Telemetry;

namespace Bulwark.Listener.Sessions;

/// <summary>Asks a sharded entity and records how long the session waited, by entity type and
/// outcome: the farm's health shows first in these latencies.</summary>
public static class TimedAsk
{
    public static async Task<T> AskEntity<T>(this IActorRef entity, object message, TimeSpan timeout, string entityType)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = "error";
        try
        {
            var ask = entity.Ask<T>(message, timeout);
            // A session that stops while this ask is open never resumes here (its continuations
            // go to a stopped actor), so nothing would read the timeout and the runtime would
            // report an unobserved exception for each such connection.
            _ = ask.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            var answer = await ask;
            outcome = "ok";
            return answer;
        }
        catch (AskTimeoutException)
        {
            outcome = "timeout";
            throw;
        }
        finally
        {
            BulwarkMetrics.EntityAskSeconds.Labels(entityType, outcome).Observe(Stopwatch.GetElapsedTime(started));
        }
    }
}
