namespace Bulwark.Telemetry;

/// <summary>A value that goes up and down (queue depth, members by status), usually set just
/// before a scrape by a collect callback.</summary>
public sealed class Gauge(string name, string help, params string[] labelNames) : Metric<GaugeSeries>(name, help, labelNames)
{
    public override string Type => "gauge";

    public GaugeSeries Labels(string first) => Series(new LabelValues(first));
    public GaugeSeries Labels(string first, string second) => Series(new LabelValues(first, second));

    public void Set(double value) => Series(LabelValues.None).Set(value);

    protected override GaugeSeries NewSeries() => new();

    public override void WriteTo(PrometheusText writer)
    {
        writer.Header(this);
        foreach (var (labels, series) in AllSeries())
            writer.Sample(Name, LabelNames, labels, series.Value);
    }
}

public sealed class GaugeSeries
{
    private long _bits;

    public double Value => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _bits));

    public void Set(double value) => Interlocked.Exchange(ref _bits, BitConverter.DoubleToInt64Bits(value));
}
