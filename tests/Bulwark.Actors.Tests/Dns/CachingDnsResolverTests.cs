using System.Net;
using Bulwark.Policy.Dns;
using Bulwark.Dns;

namespace Bulwark.Actors.Tests.Dns;

public sealed class CachingDnsResolverTests
{
    private static DnsAnswer<string> Txt(string value, int ttlSeconds) =>
        new(DnsStatus.Ok, [value], TimeSpan.FromSeconds(ttlSeconds));

    [Fact]
    public async Task Positive_answers_live_their_ttl()
    {
        var inner = new ScriptedResolver().Set("TXT a.test", Txt("v=spf1 -all", 300));
        var time = new ManualTime();
        var cache = new CachingDnsResolver(inner, time: time);

        Assert.Equal("v=spf1 -all", (await cache.TxtAsync("a.test", default)).Records[0]);
        time.Advance(TimeSpan.FromSeconds(299));
        await cache.TxtAsync("A.TEST.", default); // same question: case and trailing dot do not matter
        Assert.Equal(1, inner.Calls);
        Assert.Equal(1, cache.Hits);
        time.Advance(TimeSpan.FromSeconds(1));
        await cache.TxtAsync("a.test", default);
        Assert.Equal(2, inner.Calls);
        Assert.Equal(2, cache.Misses);
    }

    [Fact]
    public async Task Ttl_zero_is_not_cached_and_long_ttls_are_capped()
    {
        var inner = new ScriptedResolver().Set("TXT zero.test", Txt("x", 0)).Set("TXT long.test", Txt("y", 7 * 86400));
        var time = new ManualTime();
        var cache = new CachingDnsResolver(inner, new DnsCacheOptions { MaxTtl = TimeSpan.FromHours(1) }, time);

        await cache.TxtAsync("zero.test", default);
        await cache.TxtAsync("zero.test", default);
        Assert.Equal(2, inner.Calls);

        await cache.TxtAsync("long.test", default);
        time.Advance(TimeSpan.FromMinutes(59));
        await cache.TxtAsync("long.test", default);
        Assert.Equal(3, inner.Calls);
        time.Advance(TimeSpan.FromMinutes(1));
        await cache.TxtAsync("long.test", default);
        Assert.Equal(4, inner.Calls);
    }

    [Theory]
    [InlineData(DnsStatus.NxDomain)]
    [InlineData(DnsStatus.NoData)]
    public async Task Negative_answers_are_cached_within_the_negative_bounds(DnsStatus status)
    {
        var inner = new ScriptedResolver()
            .Set("MX nosoa.test", DnsAnswer<MxRecord>.Of(status))                            // no SOA: the minimum
            .Set("MX longsoa.test", DnsAnswer<MxRecord>.Of(status, TimeSpan.FromDays(1)));   // capped
        var time = new ManualTime();
        var cache = new CachingDnsResolver(inner, time: time);

        Assert.Equal(status, (await cache.MxAsync("nosoa.test", default)).Status);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(status, (await cache.MxAsync("nosoa.test", default)).Status);
        Assert.Equal(1, inner.Calls);
        time.Advance(TimeSpan.FromSeconds(1));
        await cache.MxAsync("nosoa.test", default);
        Assert.Equal(2, inner.Calls);

        await cache.MxAsync("longsoa.test", default);
        time.Advance(TimeSpan.FromMinutes(59));
        await cache.MxAsync("longsoa.test", default);
        Assert.Equal(3, inner.Calls);
        time.Advance(TimeSpan.FromMinutes(1));
        await cache.MxAsync("longsoa.test", default);
        Assert.Equal(4, inner.Calls);
    }

    [Theory]
    [InlineData(DnsStatus.ServerFailure)]
    [InlineData(DnsStatus.Timeout)]
    public async Task Failures_are_never_cached(DnsStatus status)
    {
        var inner = new ScriptedResolver().Set("PTR 192.0.2.1", DnsAnswer<string>.Of(status, TimeSpan.FromHours(1)));
        var cache = new CachingDnsResolver(inner, time: new ManualTime());
        var ip = IPAddress.Parse("192.0.2.1");
        Assert.Equal(status, (await cache.PtrAsync(ip, default)).Status);
        Assert.Equal(status, (await cache.PtrAsync(ip, default)).Status);
        Assert.Equal(2, inner.Calls);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task Concurrent_identical_questions_make_one_upstream_query()
    {
        var inner = new ScriptedResolver { Hold = true }.Set("TXT c.test", Txt("one", 60));
        var cache = new CachingDnsResolver(inner, time: new ManualTime());

        var asks = Enumerable.Range(0, 20).Select(_ => cache.TxtAsync("c.test", default)).ToArray();
        var other = cache.TxtAsync("d.test", default); // a different question is not coalesced
        await Task.Delay(50);
        Assert.All(asks, t => Assert.False(t.IsCompleted));
        inner.Release();
        var answers = await Task.WhenAll(asks);

        Assert.All(answers, a => Assert.Equal("one", a.Records[0]));
        Assert.Equal(DnsStatus.NxDomain, (await other).Status);
        Assert.Equal(2, inner.Calls);
        Assert.Equal(19, cache.Coalesced);
        Assert.Equal(2, cache.Misses);
    }

    [Fact]
    public async Task A_cancelled_asker_gets_a_timeout_and_the_others_still_get_the_answer()
    {
        var inner = new ScriptedResolver { Hold = true }.Set("TXT c.test", Txt("one", 60));
        var cache = new CachingDnsResolver(inner, time: new ManualTime());
        using var cts = new CancellationTokenSource();
        var impatient = cache.TxtAsync("c.test", cts.Token);
        var patient = cache.TxtAsync("c.test", default);
        cts.Cancel();
        Assert.Equal(DnsStatus.Timeout, (await impatient).Status);
        inner.Release();
        Assert.Equal(DnsStatus.Ok, (await patient).Status);
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task Memory_is_bounded_and_the_least_recently_used_goes_first()
    {
        var inner = new ScriptedResolver();
        for (var i = 0; i < 5; i++) inner.Set($"TXT n{i}.test", Txt("v" + i, 600));
        var cache = new CachingDnsResolver(inner, new DnsCacheOptions { MaxEntries = 3 }, new ManualTime());

        await cache.TxtAsync("n0.test", default);
        await cache.TxtAsync("n1.test", default);
        await cache.TxtAsync("n2.test", default);
        await cache.TxtAsync("n0.test", default); // n0 used again: n1 is now the oldest
        await cache.TxtAsync("n3.test", default); // evicts n1
        Assert.Equal(3, cache.Count);
        var calls = inner.Calls;
        await cache.TxtAsync("n0.test", default);
        await cache.TxtAsync("n2.test", default);
        await cache.TxtAsync("n3.test", default);
        Assert.Equal(calls, inner.Calls);
        await cache.TxtAsync("n1.test", default);
        Assert.Equal(calls + 1, inner.Calls);
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public async Task A_throwing_inner_resolver_is_a_server_failure()
    {
        var cache = new CachingDnsResolver(new ThrowingResolver(), time: new ManualTime());
        Assert.Equal(DnsStatus.ServerFailure, (await cache.TxtAsync("x.test", default)).Status);
    }

    [Fact]
    public void Lifetime_table()
    {
        var o = DnsCacheOptions.Default;
        Assert.Equal(TimeSpan.Zero, CachingDnsResolver.Lifetime(DnsStatus.Ok, TimeSpan.Zero, o));
        Assert.Equal(TimeSpan.FromSeconds(5), CachingDnsResolver.Lifetime(DnsStatus.Ok, TimeSpan.FromSeconds(5), o));
        Assert.Equal(TimeSpan.FromDays(1), CachingDnsResolver.Lifetime(DnsStatus.Ok, TimeSpan.FromDays(9), o));
        Assert.Equal(TimeSpan.FromSeconds(30), CachingDnsResolver.Lifetime(DnsStatus.NxDomain, TimeSpan.Zero, o));
        Assert.Equal(TimeSpan.FromSeconds(300), CachingDnsResolver.Lifetime(DnsStatus.NoData, TimeSpan.FromSeconds(300), o));
        Assert.Equal(TimeSpan.FromHours(1), CachingDnsResolver.Lifetime(DnsStatus.NxDomain, TimeSpan.FromDays(2), o));
        Assert.Equal(TimeSpan.Zero, CachingDnsResolver.Lifetime(DnsStatus.Timeout, TimeSpan.FromHours(1), o));
        Assert.Equal(TimeSpan.Zero, CachingDnsResolver.Lifetime(DnsStatus.ServerFailure, TimeSpan.FromHours(1), o));
    }

    private sealed class ThrowingResolver : IDnsResolver
    {
        public Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken ct) => throw new InvalidOperationException("boom");
        public Task<DnsAnswer<IPAddress>> AddressAsync(string name, System.Net.Sockets.AddressFamily family, CancellationToken ct) => throw new InvalidOperationException();
        public Task<DnsAnswer<MxRecord>> MxAsync(string name, CancellationToken ct) => throw new InvalidOperationException();
        public Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken ct) => throw new InvalidOperationException();
    }
}
