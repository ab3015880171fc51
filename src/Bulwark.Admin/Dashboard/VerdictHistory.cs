namespace Bulwark.Admin.Dashboard;

/// <summary>
/// Verdicts over time from ever-growing totals: each <see cref="Advance"/> adds what the totals
/// grew by since the last call to the bucket the current time falls in. Buckets start at
/// multiples of the width since the Unix epoch, so every node's buckets line up.
/// </summary>
public sealed class VerdictHistory(int bucketSeconds, int capacity)
{
    private readonly Dictionary<(string Phase, string Code, string Enhanced), long> _last = new();
    private readonly SortedDictionary<long, Dictionary<(string, string, string), long>> _buckets = new();

    public int BucketSeconds => bucketSeconds;

    public void Advance(DateTimeOffset now, IEnumerable<VerdictCount> totals)
    {
        var start = BucketStart(now);
        foreach (var total in totals)
        {
            var key = (total.Phase, total.Code, total.Enhanced);
            var before = _last.GetValueOrDefault(key);
            _last[key] = total.Count;
            var grew = total.Count - before;
            if (grew <= 0) continue;
            if (!_buckets.TryGetValue(start, out var bucket)) _buckets[start] = bucket = new();
            bucket[key] = bucket.GetValueOrDefault(key) + grew;
        }
        var oldest = start - (long)bucketSeconds * (capacity - 1);
        foreach (var stale in _buckets.Keys.Where(k => k < oldest).ToList()) _buckets.Remove(stale);
    }

    public long BucketStart(DateTimeOffset at)
    {
        var seconds = at.ToUnixTimeSeconds();
        return seconds - (seconds % bucketSeconds + bucketSeconds) % bucketSeconds;
    }

    public IReadOnlyList<VerdictBucket> Buckets() =>
        _buckets.Select(b => new VerdictBucket(b.Key,
            b.Value.Select(c => new VerdictCount(c.Key.Item1, c.Key.Item2, c.Key.Item3, c.Value)).ToList())).ToList();
}
