using Bulwark.Contracts.DnsPolicy;
using Bulwark.NodeCaches;
using Bulwark.Policy.Dns;

namespace Bulwark.Actors.Tests.NodeCaches;

/// <summary>The listener's copy of entity answers: kept as long as the entity said, never past its cap, bounded.</summary>
public sealed class NearCacheTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private static readonly DkimKeyAnswer Key = new(DnsStatus.Ok, "v=DKIM1; p=AAAA");

    [Fact]
    public void An_answer_is_reused_until_its_valid_until_and_not_after()
    {
        var cache = new NearCache<DkimKeyAnswer>(10, TimeSpan.FromMinutes(10));
        cache.Keep("k", Key, Now.AddSeconds(30), Now);

        Assert.True(cache.TryGet("k", Now.AddSeconds(29), out var kept));
        Assert.Same(Key, kept);
        Assert.False(cache.TryGet("k", Now.AddSeconds(30), out _));
    }

    [Fact]
    public void No_answer_is_kept_past_the_cap_whatever_the_entity_said() 
    {
        var cache = new NearCache<DkimKeyAnswer>(10, TimeSpan.FromMinutes(10));
        cache.Keep("k", Key, Now.AddDays(1), Now);

        Assert.True(cache.TryGet("k", Now.AddMinutes(10).AddSeconds(-1), out _));
        Assert.False(cache.TryGet("k", Now.AddMinutes(10), out _));
    }

    [Fact]
    public void An_answer_without_valid_until_or_already_expired_is_not_kept()
    {
        var cache = new NearCache<DkimKeyAnswer>(10, TimeSpan.FromMinutes(10));
        cache.Keep("temperror", Key, null, Now);
        cache.Keep("expired", Key, Now, Now);

        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void A_full_cache_drops_the_expired_first_and_never_grows_past_its_bound()
    {
        var cache = new NearCache<DkimKeyAnswer>(3, TimeSpan.FromMinutes(10));
        cache.Keep("old", Key, Now.AddSeconds(1), Now);
        cache.Keep("a", Key, Now.AddMinutes(5), Now);
        cache.Keep("b", Key, Now.AddMinutes(5), Now);

        cache.Keep("c", Key, Now.AddMinutes(5).AddSeconds(2), Now.AddSeconds(2));
        Assert.Equal(3, cache.Count);
        Assert.True(cache.TryGet("a", Now.AddSeconds(3), out _));

        for (var i = 0; i < 100; i++) cache.Keep($"flood{i}", Key, Now.AddMinutes(5), Now.AddSeconds(3));
        Assert.InRange(cache.Count, 1, 3);
    }
}
