namespace Bulwark.Telemetry;

/// <summary>A count that only goes up (events, refusals, bytes).</summary>
public sealed class Counter(string name, string help, params string[] labelNames) : Metric<CounterSeries>(name, help, labelNames)
{
    public override string Type => "counter";

    public CounterSeries Labels(string first) => Series(new LabelValues(first));
    public CounterSeries Labels(string first, string second) => Series(new LabelValues(first, second));
    public CounterSeries Labels(string first, string second, string third) => Series(new LabelValues(first, second, third));

    public void Inc(long by = 1) => Series(LabelValues.None).Inc(by);

    protected override CounterSeries NewSeries() => new();

    public override void WriteTo(PrometheusText writer)
    {
        writer.Header(this);
        foreach (var (labels, series) in AllSeries())
            writer.Sample(Name, LabelNames, labels, series.Value);
    }
}

public sealed class CounterSeries
{
    private long _value;

    public long Value => Interlocked.Read(ref _value);

    public void Inc(long by = 1)
    {
        if (by < 0) throw new ArgumentOutOfRangeException(nameof(by), "a counter never goes down");
        Interlocked.Add(ref _value, by);
    }
}
