using Akka.Actor;
using Bulwark.Content.Quarantine;
using Bulwark.Content.Scanners;
using Bulwark.Listener.Observability;
using Bulwark.Telemetry;
using Bulwark.Dns;

namespace Bulwark.Admin.Dashboard;

/// <summary>Everything on this node the dashboard and /metrics read. Pure reads, no actors
/// except the delivery actor (asked for its queue).</summary>
public sealed class NodeStatsSources(
    string hostname,
    LiveSessions sessions,
    CachingDnsResolver dns,
    ContentScanner scanner,
    QuarantineStore quarantine)
{
    private readonly object _quarantineGate = new();
    private (DateTimeOffset At, QuarantineView View) _quarantine = (DateTimeOffset.MinValue, new QuarantineView(0, 0));

    public static readonly string Version = typeof(NodeStatsSources).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public string Hostname => hostname;
    public LiveSessions Sessions => sessions;
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? UpSince { get; set; }

    /// <summary>Set once the delivery actor exists.</summary>
    public IActorRef? Delivery { get; set; }

    public DnsCacheView DnsCache()
    {
        var (hits, misses) = (dns.Hits, dns.Misses);
        return new DnsCacheView(hits, misses, hits + misses == 0 ? 0 : (double)hits / (hits + misses), dns.Count);
    }

    // An array, not a collection expression: the report crosses the network, and the JSON
    // serializer cannot rebuild the read-only list type a collection expression creates.
    public IReadOnlyList<ScannerView> Scanners() => new[]
    {
        Scanner("clamd", scanner.Options.ClamdEndpoint is { Length: > 0 }, scanner.ClamdBreaker),
        Scanner("rspamd", scanner.Options.RspamdUrl is { Length: > 0 }, scanner.RspamdBreaker),
    };

    private static ScannerView Scanner(string name, bool configured, ScannerBreaker breaker) =>
        new(name, configured, !configured ? "not-configured" : breaker.State switch
        {
            CircuitState.Open => "open",
            CircuitState.HalfOpen => "half-open",
            _ => "closed",
        }, breaker.Counters.Failures, null);

    /// <summary>Counting the quarantine reads a folder: at most once every few seconds.</summary>
    public QuarantineView Quarantine()
    {
        lock (_quarantineGate)
        {
            var now = DateTimeOffset.UtcNow;
            if (now - _quarantine.At < TimeSpan.FromSeconds(5)) return _quarantine.View;
            var messages = quarantine.List().Count;
            long bytes = 0;
            if (Directory.Exists(quarantine.EntriesDir))
                foreach (var file in new DirectoryInfo(quarantine.EntriesDir).EnumerateFiles("*", SearchOption.AllDirectories))
                    bytes += file.Length;
            _quarantine = (now, new QuarantineView(messages, bytes));
            return _quarantine.View;
        }
    }

    public static ConnectionCounts Connections() => new(
        BulwarkMetrics.Connections.Labels("accepted").Value,
        BulwarkMetrics.Connections.Labels("blocked").Value,
        BulwarkMetrics.Connections.Labels("busy").Value,
        BulwarkMetrics.Connections.Labels("deferred").Value);

    public static AuthenticationView Authentication()
    {
        long Result(string method, string result) => BulwarkMetrics.Authentication.Labels(method, result).Value;
        long Action(string action) => BulwarkMetrics.DmarcActions.Labels(action).Value;
        return new AuthenticationView(
            Result("dkim", "pass"), Result("dkim", "fail") + Result("dkim", "permerror") + Result("dkim", "temperror"),
            Result("dmarc", "pass"), Result("dmarc", "fail"), Result("dmarc", "none"),
            Action("rejected"), Action("quarantined"), Action("deferred"), Action("arc-override"),
            Result("arc", "pass"), Result("arc", "fail") + Result("arc", "temperror"));
    }

    public static IReadOnlyList<VerdictCount> VerdictTotals() =>
        BulwarkMetrics.Verdicts.AllSeries()
            .Select(s => new VerdictCount(s.Key.First!, s.Key.Second!, s.Key.Third ?? "", s.Value.Value))
            .ToList();
}
