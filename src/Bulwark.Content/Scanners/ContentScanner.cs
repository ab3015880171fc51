using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Bulwark.Policy.Content;
using Bulwark.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bulwark.Content.Scanners;

/// <summary>
/// clamd and rspamd over one message, concurrently, each behind its own circuit breaker so a
/// dead scanner costs sessions nothing once it has failed a few times. Never throws for a
/// scanner's failure (a bug in a stream or a refused connection alike become Unavailable);
/// only the caller's own cancellation propagates.
/// </summary>
public sealed class ContentScanner : IContentScanner, IDisposable
{
    public const string CircuitOpenProblem = "circuit open";

    private readonly ClamdClient? _clamd;
    private readonly RspamdClient? _rspamd;
    private readonly ILogger _logger;
    private readonly HashedWheelTimerScheduler? _ownScheduler;

    /// <param name="scheduler">Times the breakers' cool-downs; by default a scheduler of the
    /// scanner's own (scanning needs no actor system, and tests pass a manual one).</param>
    public ContentScanner(ContentScannerOptions options, ILogger<ContentScanner>? logger = null, IScheduler? scheduler = null, HttpClient? http = null)
    {
        Options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        if (options.ClamdEndpoint is { Length: > 0 } endpoint) _clamd = new ClamdClient(endpoint, options.ClamdTimeout);
        if (options.RspamdUrl is { Length: > 0 } url) _rspamd = new RspamdClient(url, options.RspamdTimeout, http);
        scheduler ??= _ownScheduler = new HashedWheelTimerScheduler(ConfigurationFactory.Default(), NoLogger.Instance);
        // Each client bounds its own call; the breaker's limit is only a backstop above it.
        ClamdBreaker = new ScannerBreaker(scheduler, options.BreakerFailureThreshold, options.BreakerCoolDown, options.ClamdTimeout * 2);
        RspamdBreaker = new ScannerBreaker(scheduler, options.BreakerFailureThreshold, options.BreakerCoolDown, options.RspamdTimeout * 2);
    }

    public ContentScannerOptions Options { get; }
    public ScannerBreaker ClamdBreaker { get; }
    public ScannerBreaker RspamdBreaker { get; }
    public bool Enabled => _clamd is not null || _rspamd is not null;

    public async Task<ScanReport> ScanAsync(Func<Stream> openMessage, ScanContext context, CancellationToken cancellationToken)
    {
        var virus = ScanVirusAsync(openMessage, context, cancellationToken);
        var spam = ScanSpamAsync(openMessage, context, cancellationToken);
        return new ScanReport(await virus, await spam);
    }

    private Task<VirusScan> ScanVirusAsync(Func<Stream> open, ScanContext context, CancellationToken ct) =>
        _clamd is null
            ? Task.FromResult(new VirusScan(ScanStatus.NotConfigured))
            : GuardedAsync(ClamdBreaker, "clamd", context,
                async () => { await using var s = open(); return await _clamd.ScanAsync(s, ct); },
                // An ERROR answer (say, over StreamMaxLength) is about the message, not clamd's
                // health: a few large messages must not open the breaker for everyone.
                r => r.Status == ScanStatus.Unavailable && r.Problem?.StartsWith(ClamdClient.ErrorReplyPrefix, StringComparison.Ordinal) != true,
                r => r.Problem,
                problem => new VirusScan(ScanStatus.Unavailable, Problem: problem), ct);

    private Task<SpamScan> ScanSpamAsync(Func<Stream> open, ScanContext context, CancellationToken ct) =>
        _rspamd is null
            ? Task.FromResult(new SpamScan(ScanStatus.NotConfigured))
            : GuardedAsync(RspamdBreaker, "rspamd", context,
                async () => { await using var s = open(); return await _rspamd.ScanAsync(s, context, ct); },
                r => r.Status == ScanStatus.Unavailable, r => r.Problem,
                problem => new SpamScan(ScanStatus.Unavailable, Problem: problem), ct);

    private async Task<T> GuardedAsync<T>(ScannerBreaker breaker, string name, ScanContext context, Func<Task<T>> call,
        Func<T, bool> failed, Func<T, string?> problemOf, Func<string, T> unavailable, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var shortCircuited = false;
        var result = await breaker.CallAsync(async () =>
        {
            // Run off the caller's thread so both scanners really start together even if opening
            // the message or the first write completes synchronously.
            await Task.Yield();
            try
            {
                return await call();
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // The clients turn scanner failures into results; anything else (the message store
                // failing to open, a bug) must still not take the session down.
                return unavailable($"{name}: {e.GetType().Name}: {e.Message}");
            }
        }, failed, () =>
        {
            shortCircuited = true;
            return unavailable(CircuitOpenProblem);
        });
        ct.ThrowIfCancellationRequested();
        if (shortCircuited)
        {
            BulwarkMetrics.ScannerFailures.Labels(name).Inc();
            return result;
        }
        var isFailure = failed(result);
        BulwarkMetrics.ScannerSeconds.Labels(name, isFailure ? "unavailable" : "ok").Observe(Stopwatch.GetElapsedTime(started));
        if (isFailure)
        {
            BulwarkMetrics.ScannerFailures.Labels(name).Inc();
            _logger.LogWarning("{Scanner} unavailable for {QueueId}: {Problem} (breaker {State})", name, context.QueueId, problemOf(result), breaker.State);
        }
        return result;
    }

    public void Dispose()
    {
        _rspamd?.Dispose();
        _ownScheduler?.Dispose();
    }
}
