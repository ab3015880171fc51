using System.Collections.Concurrent;

namespace Bulwark.Telemetry;

/// <summary>
/// One named metric and its series, one per combination of label values. Each series is bound
/// once and keeps its tags as a ready array, so recording on a known label set looks up a
/// dictionary and allocates nothing: the per-reply path of every session goes through here.
/// </summary>
public abstract class MetricFamily<TSeries> : IMetricFamily where TSeries : class
{
    private readonly ConcurrentDictionary<LabelValues, TSeries> _series = new();

    protected MetricFamily(string name, string help, IReadOnlyList<string> labelNames)
    {
        if (labelNames.Count > 3) throw new ArgumentException("at most three labels", nameof(labelNames));
        if (!MetricNames.IsValid(name)) throw new ArgumentException($"'{name}' is not a valid metric name", nameof(name));
        if (labelNames.Any(label => !MetricNames.IsValidLabel(label)))
            throw new ArgumentException($"{name}: label names must be letters, digits and '_'", nameof(labelNames));
        Name = name;
        Help = help;
        LabelNames = labelNames;
    }

    public string Name { get; }
    public string Help { get; }
    public IReadOnlyList<string> LabelNames { get; }

    /// <summary>The series of a metric that has no labels.</summary>
    public TSeries Unlabelled => Series(LabelValues.None);

    protected TSeries Series(LabelValues labels)
    {
        if (_series.TryGetValue(labels, out var found)) return found;
        if (labels.Count != LabelNames.Count)
            throw new ArgumentException($"{Name} takes {LabelNames.Count} label value(s), got {labels.Count}");
        return _series.GetOrAdd(labels, l => NewSeries(TagsOf(l)));
    }

    protected abstract TSeries NewSeries(KeyValuePair<string, object?>[] tags);

    /// <summary>Every series, in a stable order for readable output.</summary>
    public IReadOnlyList<KeyValuePair<LabelValues, TSeries>> AllSeries() =>
        _series.OrderBy(s => s.Key.First, StringComparer.Ordinal)
            .ThenBy(s => s.Key.Second, StringComparer.Ordinal)
            .ThenBy(s => s.Key.Third, StringComparer.Ordinal)
            .ToList();

    /// <summary>The tags of one series, sorted by key: the OpenTelemetry SDK keys its series by
    /// sorted tags, and tags that arrive sorted are found on its first lookup.</summary>
    private KeyValuePair<string, object?>[] TagsOf(LabelValues labels)
    {
        var tags = new KeyValuePair<string, object?>[LabelNames.Count];
        for (var i = 0; i < tags.Length; i++) tags[i] = new(LabelNames[i], labels[i]);
        Array.Sort(tags, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return tags;
    }
}

/// <summary>What every metric family tells about itself, whatever its type.</summary>
public interface IMetricFamily
{
    string Name { get; }
    string Help { get; }
    IReadOnlyList<string> LabelNames { get; }
}
