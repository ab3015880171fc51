using System.Collections.Concurrent;

namespace Bulwark.Telemetry;

/// <summary>One named metric and its series, one per combination of label values.</summary>
public abstract class Metric<TSeries> : IMetric where TSeries : class
{
    private readonly ConcurrentDictionary<LabelValues, TSeries> _series = new();

    protected Metric(string name, string help, IReadOnlyList<string> labelNames)
    {
        if (labelNames.Count > 3) throw new ArgumentException("at most three labels", nameof(labelNames));
        if (!PrometheusText.IsValidName(name)) throw new ArgumentException($"'{name}' is not a valid metric name", nameof(name));
        Name = name;
        Help = help;
        LabelNames = labelNames;
    }

    public string Name { get; }
    public string Help { get; }
    public IReadOnlyList<string> LabelNames { get; }
    public abstract string Type { get; }

    /// <summary>The series of a metric that has no labels.</summary>
    public TSeries Unlabelled => Series(LabelValues.None);

    protected TSeries Series(LabelValues labels)
    {
        if (_series.TryGetValue(labels, out var found)) return found;
        if (labels.Count != LabelNames.Count)
            throw new ArgumentException($"{Name} takes {LabelNames.Count} label value(s), got {labels.Count}");
        return _series.GetOrAdd(labels, _ => NewSeries());
    }

    protected abstract TSeries NewSeries();

    /// <summary>Every series, in a stable order for readable output.</summary>
    public IReadOnlyList<KeyValuePair<LabelValues, TSeries>> AllSeries() =>
        _series.OrderBy(s => s.Key.First, StringComparer.Ordinal)
            .ThenBy(s => s.Key.Second, StringComparer.Ordinal)
            .ThenBy(s => s.Key.Third, StringComparer.Ordinal)
            .ToList();

    public abstract void WriteTo(PrometheusText writer);
}

public interface IMetric
{
    string Name { get; }
    void WriteTo(PrometheusText writer);
}
