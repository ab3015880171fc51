using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Bulwark.Telemetry;

/// <summary>
/// The metric families of one <see cref="System.Diagnostics.Metrics.Meter"/>, by name, and the
/// callbacks that refresh gauges whose values live elsewhere (queue depth, cluster members)
/// just before each scrape. The instruments themselves are the runtime's; this keeps what an
/// exporter needs beside them: which series exist from the start and what to run first.
/// </summary>
public sealed class MetricCatalog
{
    private readonly ConcurrentDictionary<string, IMetricFamily> _families = new(StringComparer.Ordinal);
    private readonly List<Func<CancellationToken, Task>> _beforeScrape = new();

    public MetricCatalog(Meter meter) => Meter = meter;

    public Meter Meter { get; }

    public CounterMetric Counter(string name, string help, params string[] labels) =>
        Register(name, () => new CounterMetric(Meter, name, help, labels));

    public GaugeMetric Gauge(string name, string help, params string[] labels) =>
        Register(name, () => new GaugeMetric(Meter, name, help, labels));

    public HistogramMetric Histogram(string name, string help, double[] bounds, params string[] labels) =>
        Register(name, () => new HistogramMetric(Meter, name, help, bounds, labels));

    public IReadOnlyCollection<string> Names => _families.Keys.ToList();

    public IReadOnlyList<IMetricFamily> Families => _families.Values.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();

    public IReadOnlyList<HistogramMetric> Histograms => Families.OfType<HistogramMetric>().ToList();

    /// <summary>Shows every bound counter series to listeners that started after it was bound.</summary>
    public void Publish()
    {
        foreach (var counter in Families.OfType<CounterMetric>()) counter.Publish();
    }

    public void BeforeScrape(Func<CancellationToken, Task> refresh)
    {
        lock (_beforeScrape) _beforeScrape.Add(refresh);
    }

    /// <summary>Runs the refresh callbacks in order. A failing one is skipped: its gauges keep
    /// their last value rather than failing the whole scrape.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        Func<CancellationToken, Task>[] callbacks;
        lock (_beforeScrape) callbacks = _beforeScrape.ToArray();
        foreach (var callback in callbacks)
        {
            try
            {
                await callback(cancellationToken);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // A slow or failing source must not hide every other metric.
            }
        }
    }

    private T Register<T>(string name, Func<T> create) where T : IMetricFamily
    {
        // Checked before the instrument is created: a second instrument of the same name on
        // one Meter would be exported twice.
        lock (_families)
        {
            if (_families.ContainsKey(name)) throw new InvalidOperationException($"metric {name} registered twice");
            var family = create();
            _families[name] = family;
            return family;
        }
    }
}
