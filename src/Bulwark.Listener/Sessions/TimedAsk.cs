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
            var answer = await entity.Ask<T>(message, timeout);
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
