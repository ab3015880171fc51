namespace Bulwark.Admin.Dashboard;

/// <summary>Adds up the verdict buckets of every node into one series per phase, code and
/// enhanced code over the last few minutes, zero-filled, newest last.</summary>
public static class VerdictChart
{
    public static object Combine(IEnumerable<VerdictBucket> buckets, IEnumerable<VerdictCount> totals,
        int bucketSeconds, int points, DateTimeOffset now)
    {
        var history = new VerdictHistory(bucketSeconds, points);
        var last = history.BucketStart(now);
        var first = last - (long)bucketSeconds * (points - 1);
        var series = new Dictionary<(string Phase, string Code, string Enhanced), long[]>();
        foreach (var bucket in buckets)
        {
            if (bucket.StartUnixSeconds < first || bucket.StartUnixSeconds > last) continue;
            var index = (int)((bucket.StartUnixSeconds - first) / bucketSeconds);
            foreach (var count in bucket.Counts)
            {
                var key = (count.Phase, count.Code, count.Enhanced);
                if (!series.TryGetValue(key, out var values)) series[key] = values = new long[points];
                values[index] += count.Count;
            }
        }
        var summed = totals.GroupBy(t => (t.Phase, t.Code, t.Enhanced))
            .Select(g => new { phase = g.Key.Phase, code = g.Key.Code, enhanced = g.Key.Enhanced, count = g.Sum(t => t.Count) })
            .Where(t => t.count > 0)
            .OrderByDescending(t => t.count).ThenBy(t => t.phase).ThenBy(t => t.code).ToList();
        return new
        {
            bucketSeconds,
            start = DateTimeOffset.FromUnixTimeSeconds(first),
            series = series.OrderBy(s => s.Key.Code).ThenBy(s => s.Key.Phase).ThenBy(s => s.Key.Enhanced)
                .Select(s => new { phase = s.Key.Phase, code = s.Key.Code, enhanced = s.Key.Enhanced, points = s.Value }),
            totals = summed,
        };
    }
}
