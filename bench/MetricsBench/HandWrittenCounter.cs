using System.Collections.Concurrent;
using Bulwark.Telemetry;

namespace Bulwark.Bench.Metrics;

/// <summary>
/// The increment path of the counter Bulwark had before System.Diagnostics.Metrics (deleted from
/// src/Bulwark.Telemetry in the same change), kept here only to measure the new path against:
/// a series looked up by its label values in a dictionary, then one interlocked add.
/// </summary>
public sealed class HandWrittenCounter
{
    private readonly ConcurrentDictionary<LabelValues, Series> _series = new();

    public Series Labels(string first) => Lookup(new LabelValues(first));
    public Series Labels(string first, string second, string third) => Lookup(new LabelValues(first, second, third));

    private Series Lookup(LabelValues labels) =>
        _series.TryGetValue(labels, out var found) ? found : _series.GetOrAdd(labels, _ => new Series());

    public sealed class Series
    {
        private long _value;

        public long Value => Interlocked.Read(ref _value);

        public void Inc(long by = 1)
        {
            if (by < 0) throw new ArgumentOutOfRangeException(nameof(by), "a counter never goes down");
            Interlocked.Add(ref _value, by);
        }
    }
}
