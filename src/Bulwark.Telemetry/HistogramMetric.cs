using System.Diagnostics.Metrics;

namespace Bulwark.Telemetry;

/// <summary>A distribution in fixed buckets (latencies): a <see cref="Histogram{T}"/> whose
/// bucket bounds travel with it as <see cref="InstrumentAdvice{T}"/>, so every listener that
/// honours advice (the OpenTelemetry SDK does) buckets it the same way.</summary>
public sealed class HistogramMetric : MetricFamily<HistogramSeries>
{
    /// <summary>100 µs to 10 s: an ask answered from a local entity takes well under a millisecond,
    /// one that times out takes seconds; both ends must be visible.</summary>
    public static readonly double[] LatencyBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Histogram<double> _instrument;

    public HistogramMetric(Meter meter, string name, string help, double[] bounds, params string[] labelNames) : base(name, help, labelNames)
    {
        if (bounds.Length == 0 || bounds.Zip(bounds.Skip(1)).Any(p => p.First >= p.Second))
            throw new ArgumentException("bucket bounds must be increasing", nameof(bounds));
        Bounds = bounds;
        _instrument = meter.CreateHistogram(name, MetricNames.UnitOf(name), help, tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = bounds });
    }

    public IReadOnlyList<double> Bounds { get; }

    public HistogramSeries Labels(string first) => Series(new LabelValues(first));
    public HistogramSeries Labels(string first, string second) => Series(new LabelValues(first, second));

    /// <summary>Bound series that have not recorded anything yet: the OpenTelemetry SDK creates a
    /// histogram's series on its first measurement, so the exporter's caller fills these in as
    /// zeros (see the node's metrics endpoint).</summary>
    public IReadOnlyList<LabelValues> UnobservedSeries() =>
        AllSeries().Where(s => !s.Value.Observed).Select(s => s.Key).ToList();

    protected override HistogramSeries NewSeries(KeyValuePair<string, object?>[] tags) => new(_instrument, tags);
}

/// <summary>One label set of a histogram.</summary>
public sealed class HistogramSeries
{
    private readonly Histogram<double> _instrument;
    private readonly KeyValuePair<string, object?>[] _tags;
    private volatile bool _observed;

    internal HistogramSeries(Histogram<double> instrument, KeyValuePair<string, object?>[] tags)
    {
        _instrument = instrument;
        _tags = tags;
    }

    /// <summary>True once anything was recorded. Set before the measurement, so a scrape that
    /// sees false has certainly not seen the measurement either.</summary>
    public bool Observed => _observed;

    public void Observe(double value)
    {
        if (!_observed) _observed = true;
        _instrument.Record(value, new ReadOnlySpan<KeyValuePair<string, object?>>(_tags));
    }

    public void Observe(TimeSpan elapsed) => Observe(elapsed.TotalSeconds);
}
