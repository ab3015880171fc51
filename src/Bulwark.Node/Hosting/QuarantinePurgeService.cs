using Bulwark.Content.Quarantine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bulwark.Node.Hosting;

/// <summary>Removes quarantine entries past their retention, once at start and then hourly.</summary>
public sealed class QuarantinePurgeService(QuarantineStore store, ILogger<QuarantinePurgeService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        do
        {
            var removed = store.Purge();
            if (removed > 0) log.LogInformation("quarantine: purged {Count} entries past retention", removed);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
