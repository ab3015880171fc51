using System.Diagnostics.Metrics;

namespace Bulwark.Telemetry;

/// <summary>A count that only goes up (events, refusals, bytes): a <see cref="Counter{T}"/>
/// whose label sets are bound once.</summary>
public sealed class CounterMetric : MetricFamily<CounterSeries>
{
    private readonly Counter<long> _instrument;

    public CounterMetric(Meter meter, string name, string help, params string[] labelNames) : base(name, help, labelNames) =>
        _instrument = meter.CreateCounter<long>(name, MetricNames.UnitOf(name), help);

    public CounterSeries Labels(string first) => Series(new LabelValues(first));
    public CounterSeries Labels(string first, string second) => Series(new LabelValues(first, second));
    public CounterSeries Labels(string first, string second, string third) => Series(new LabelValues(first, second, third));

    public void Inc(long by = 1) => Unlabelled.Inc(by);

    /// <summary>Adds 0 to every bound series, so that a listener that started after they were
    /// bound (the exporter) shows them as 0 instead of leaving them out until the first event.</summary>
    public void Publish()
    {
        foreach (var (_, series) in AllSeries()) series.Inc(0);
    }

    protected override CounterSeries NewSeries(KeyValuePair<string, object?>[] tags) => new(_instrument, tags);
}

/// <summary>One label set of a counter.</summary>
public sealed class CounterSeries
{
    private readonly Counter<long> _instrument;
    private readonly KeyValuePair<string, object?>[] _tags;
    private long _value;

    internal CounterSeries(Counter<long> instrument, KeyValuePair<string, object?>[] tags)
    {
        _instrument = instrument;
        _tags = tags;
        // Bound series read 0 from the start, for rate() and alerts before the first event.
        instrument.Add(0, new ReadOnlySpan<KeyValuePair<string, object?>>(tags));
    }

    /// <summary>What this process counted since start. The exporter keeps its own sum; this one
    /// is for the dashboard and the tests, which read counts without a metrics pipeline.</summary>
    public long Value => Interlocked.Read(ref _value);

    public void Inc(long by = 1)
    {
        if (by < 0) throw new ArgumentOutOfRangeException(nameof(by), "a counter never goes down");
        Interlocked.Add(ref _value, by);
        _instrument.Add(by, new ReadOnlySpan<KeyValuePair<string, object?>>(_tags));
    }
}
