using Bulwark.NodeCaches;

namespace Bulwark.Actors.Tests.NodeCaches;

public sealed class CallAheadCacheTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_full_cache_evicts_the_oldest_entry()
    {
        var cache = new CallAheadCache(3);
        foreach (var name in new[] { "a", "b", "c", "d" })
            cache.Put(name, true, T0.AddHours(1));

        Assert.Equal(3, cache.Count);
        Assert.False(cache.TryGet("a", T0, out _));
        Assert.True(cache.TryGet("d", T0, out var exists));
        Assert.True(exists);
    }

    [Fact]
    public void An_expired_entry_is_a_miss()
    {
        var cache = new CallAheadCache(10);
        cache.Put("a", false, T0.AddMinutes(10));

        Assert.True(cache.TryGet("a", T0.AddMinutes(9), out var exists));
        Assert.False(exists);
        Assert.False(cache.TryGet("a", T0.AddMinutes(10), out _));
    }
}
