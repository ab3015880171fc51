using System.Diagnostics.Metrics;

namespace Bulwark.Telemetry;

/// <summary>A value that goes up and down (queue depth, members by status), usually set just
/// before a scrape by a collect callback: an <see cref="ObservableGauge{T}"/> that reports the
/// last value set on each bound series whenever a listener collects.</summary>
public sealed class GaugeMetric : MetricFamily<GaugeSeries>
{
    public GaugeMetric(Meter meter, string name, string help, params string[] labelNames) : base(name, help, labelNames) =>
        meter.CreateObservableGauge(name, Observe, MetricNames.UnitOf(name), help);

    public GaugeSeries Labels(string first) => Series(new LabelValues(first));
    public GaugeSeries Labels(string first, string second) => Series(new LabelValues(first, second));

    public void Set(double value) => Unlabelled.Set(value);

    protected override GaugeSeries NewSeries(KeyValuePair<string, object?>[] tags) => new(tags);

    private IEnumerable<Measurement<double>> Observe() =>
        AllSeries().Select(s => new Measurement<double>(s.Value.Value, s.Value.Tags)).ToList();
}

/// <summary>One label set of a gauge.</summary>
public sealed class GaugeSeries
{
    private long _bits;

    internal GaugeSeries(KeyValuePair<string, object?>[] tags) => Tags = tags;

    internal KeyValuePair<string, object?>[] Tags { get; }

    public double Value => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _bits));

    public void Set(double value) => Interlocked.Exchange(ref _bits, BitConverter.DoubleToInt64Bits(value));
}
