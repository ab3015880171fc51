using System.Collections.Concurrent;
using System.Text;

namespace Bulwark.Telemetry;

/// <summary>
/// The metrics of one process. Instruments register themselves by name once; gauges whose
/// value lives elsewhere (queue depth, cluster members) are refreshed by collect callbacks
/// that run just before each scrape.
/// </summary>
public sealed class MetricRegistry
{
    private readonly ConcurrentDictionary<string, IMetric> _metrics = new(StringComparer.Ordinal);
    private readonly List<Func<CancellationToken, Task>> _beforeCollect = new();

    public T Register<T>(T metric) where T : IMetric
    {
        if (!_metrics.TryAdd(metric.Name, metric))
            throw new InvalidOperationException($"metric {metric.Name} registered twice");
        return metric;
    }

    public Counter Counter(string name, string help, params string[] labels) => Register(new Counter(name, help, labels));
    public Gauge Gauge(string name, string help, params string[] labels) => Register(new Gauge(name, help, labels));
    public Histogram Histogram(string name, string help, double[] bounds, params string[] labels) =>
        Register(new Histogram(name, help, bounds, labels));

    public IReadOnlyCollection<string> Names => _metrics.Keys.ToList();

    public void BeforeCollect(Func<CancellationToken, Task> refresh)
    {
        lock (_beforeCollect) _beforeCollect.Add(refresh);
    }

    /// <summary>Runs the collect callbacks (a failing one is skipped: its gauges keep their
    /// last value rather than failing the whole scrape), then renders every metric.</summary>
    public async Task<string> CollectAsync(CancellationToken cancellationToken)
    {
        Func<CancellationToken, Task>[] callbacks;
        lock (_beforeCollect) callbacks = _beforeCollect.ToArray();
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
        return Render();
    }

    public string Render()
    {
        var output = new StringBuilder();
        var writer = new PrometheusText(output);
        foreach (var metric in _metrics.Values.OrderBy(m => m.Name, StringComparer.Ordinal))
            metric.WriteTo(writer);
        return output.ToString();
    }
}
