namespace Bulwark.Telemetry;

/// <summary>A distribution in fixed buckets (latencies), exported as cumulative buckets plus sum and count.</summary>
public sealed class Histogram : Metric<HistogramSeries>
{
    /// <summary>100 µs to 10 s: an ask answered from a local entity takes well under a millisecond,
    /// one that times out takes seconds; both ends must be visible.</summary>
    public static readonly double[] LatencyBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly double[] _bounds;

    public Histogram(string name, string help, double[] bounds, params string[] labelNames) : base(name, help, labelNames)
    {
        if (bounds.Length == 0 || bounds.Zip(bounds.Skip(1)).Any(p => p.First >= p.Second))
            throw new ArgumentException("bucket bounds must be increasing", nameof(bounds));
        _bounds = bounds;
    }

    public override string Type => "histogram";

    public HistogramSeries Labels(string first) => Series(new LabelValues(first));
    public HistogramSeries Labels(string first, string second) => Series(new LabelValues(first, second));

    protected override HistogramSeries NewSeries() => new(_bounds);

    public override void WriteTo(PrometheusText writer)
    {
        writer.Header(this);
        foreach (var (labels, series) in AllSeries())
        {
            var (buckets, sum, count) = series.Snapshot();
            long cumulative = 0;
            for (var i = 0; i < _bounds.Length; i++)
            {
                cumulative += buckets[i];
                writer.Sample(Name + "_bucket", LabelNames, labels, cumulative, "le", PrometheusText.FormatValue(_bounds[i]));
            }
            writer.Sample(Name + "_bucket", LabelNames, labels, count, "le", "+Inf");
            writer.Sample(Name + "_sum", LabelNames, labels, sum);
            writer.Sample(Name + "_count", LabelNames, labels, count);
        }
    }
}

public sealed class HistogramSeries(double[] bounds)
{
    // One slot per bound plus one for values above the last bound.
    private readonly long[] _buckets = new long[bounds.Length + 1];
    private long _count;
    private long _sumBits;

    public void Observe(double value)
    {
        var index = Array.BinarySearch(bounds, value);
        if (index < 0) index = ~index;
        Interlocked.Increment(ref _buckets[index]);
        Interlocked.Increment(ref _count);
        long seen, next;
        do
        {
            seen = Interlocked.Read(ref _sumBits);
            next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(seen) + value);
        } while (Interlocked.CompareExchange(ref _sumBits, next, seen) != seen);
    }

    public void Observe(TimeSpan elapsed) => Observe(elapsed.TotalSeconds);

    public long Count => Interlocked.Read(ref _count);

    /// <summary>Counts per bucket (not cumulative), sum and count. Not atomic as a whole:
    /// a scrape racing an observation may be one event off, which Prometheus tolerates.</summary>
    public (long[] Buckets, double Sum, long Count) Snapshot()
    {
        var copy = new long[_buckets.Length];
        for (var i = 0; i < copy.Length; i++) copy[i] = Interlocked.Read(ref _buckets[i]);
        return (copy, BitConverter.Int64BitsToDouble(Interlocked.Read(ref _sumBits)), copy.Sum());
    }

    /// <summary>The value below which the given fraction of observations fall, estimated from the
    /// buckets by linear interpolation (as Prometheus's histogram_quantile does).</summary>
    public double Quantile(double q)
    {
        var (buckets, _, count) = Snapshot();
        if (count == 0) return double.NaN;
        var rank = q * count;
        long cumulative = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            var before = cumulative;
            cumulative += buckets[i];
            if (cumulative < rank) continue;
            if (i == bounds.Length) return bounds[^1];
            var lower = i == 0 ? 0 : bounds[i - 1];
            return lower + (bounds[i] - lower) * ((rank - before) / Math.Max(1, buckets[i]));
        }
        return bounds[^1];
    }
}
