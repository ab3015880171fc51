using Bulwark.Policy.Dns;
using Bulwark.Dns;

namespace Bulwark.Actors.Tests.Dns;

/// <summary>The cache over the real resolver: real TTLs (60 s from dnsmasq) are honoured, and
/// a SERVFAIL is asked again every time.</summary>
[Collection(LoopbackDnsCollection.Name)]
public sealed class CachingOverLoopbackTests(LoopbackDnsFixture fixture)
{
    [Fact]
    public async Task Real_answers_are_cached_and_failures_are_not()
    {
        var time = new ManualTime();
        var cache = new CachingDnsResolver(new DnsClientResolver(new DnsResolverOptions
        {
            NameServers = [fixture.Dns.NameServer], Timeout = TimeSpan.FromSeconds(1), Retries = 1,
        }), time: time);

        for (var i = 0; i < 3; i++) Assert.Equal(DnsStatus.Ok, (await cache.MxAsync("example.test", default)).Status);
        for (var i = 0; i < 3; i++) Assert.Equal(DnsStatus.NxDomain, (await cache.TxtAsync("nope.test", default)).Status);
        for (var i = 0; i < 3; i++) Assert.Equal(DnsStatus.ServerFailure, (await cache.TxtAsync("a.servfail.test", default)).Status);
        Assert.Equal(4, cache.Hits);
        Assert.Equal(5, cache.Misses);

        time.Advance(TimeSpan.FromSeconds(61));
        await cache.MxAsync("example.test", default);
        Assert.Equal(6, cache.Misses);
    }
}
