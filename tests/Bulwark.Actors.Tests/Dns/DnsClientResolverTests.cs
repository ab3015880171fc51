using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Bulwark.Policy.Dns;
using Bulwark.Dns;

namespace Bulwark.Actors.Tests.Dns;

/// <summary>DnsClientResolver against a real DNS server on loopback (dnsmasq + unbound).</summary>
[Collection(LoopbackDnsCollection.Name)]
public sealed class DnsClientResolverTests(LoopbackDnsFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1); // generous: a loaded CI machine

    private DnsClientResolver Resolver(int retries = 0) =>
        new(new DnsResolverOptions { NameServers = [fixture.Dns.NameServer], Timeout = Timeout, Retries = retries });

    [Fact]
    public async Task Txt_joins_the_strings_of_one_record()
    {
        var a = await Resolver().TxtAsync("multi.test", default);
        Assert.Equal(DnsStatus.Ok, a.Status);
        Assert.Equal(["part one part two"], a.Records);
        Assert.Equal(TimeSpan.FromSeconds(60), a.Ttl);
    }

    [Fact]
    public async Task A_and_AAAA()
    {
        var v4 = await Resolver().AddressAsync("mail.example.test", AddressFamily.InterNetwork, default);
        var v6 = await Resolver().AddressAsync("mail.example.test", AddressFamily.InterNetworkV6, default);
        Assert.Equal([IPAddress.Parse("192.0.2.7")], v4.Records);
        Assert.Equal([IPAddress.Parse("2001:db8::7")], v6.Records);
    }

    [Fact]
    public async Task Cname_is_followed_and_only_addresses_are_returned()
    {
        var a = await Resolver().AddressAsync("alias.example.test", AddressFamily.InterNetwork, default);
        Assert.Equal(DnsStatus.Ok, a.Status);
        Assert.Equal([IPAddress.Parse("192.0.2.7")], a.Records);
    }

    [Fact]
    public async Task Mx_without_the_trailing_dot()
    {
        var a = await Resolver().MxAsync("example.test", default);
        Assert.Equal(DnsStatus.Ok, a.Status);
        Assert.Equal([new MxRecord(10, "mail.example.test")], a.Records);
    }

    [Fact]
    public async Task Null_mx_is_preference_0_and_the_root()
    {
        var a = await Resolver().MxAsync("nullmx.test", default);
        Assert.Equal(DnsStatus.Ok, a.Status);
        Assert.Equal([new MxRecord(0, "")], a.Records);
        Assert.True(SenderDomainRules.IsNullMx(a.Records));
    }

    [Fact]
    public async Task Ptr_of_v4_and_v6()
    {
        var v4 = await Resolver().PtrAsync(IPAddress.Parse("192.0.2.7"), default);
        var v6 = await Resolver().PtrAsync(IPAddress.Parse("2001:db8::7"), default);
        Assert.Contains("mail.example.test", v4.Records);
        Assert.Contains("mail.example.test", v6.Records);
        var missing = await Resolver().PtrAsync(IPAddress.Parse("192.0.2.200"), default);
        Assert.Equal(DnsStatus.NxDomain, missing.Status);
    }

    [Fact]
    public async Task Nxdomain_and_nodata_are_told_apart()
    {
        Assert.Equal(DnsStatus.NxDomain, (await Resolver().TxtAsync("nope.test", default)).Status);
        Assert.Equal(DnsStatus.NoData, (await Resolver().TxtAsync("aonly.test", default)).Status);
        Assert.Equal(DnsStatus.NoData, (await Resolver().MxAsync("aonly.test", default)).Status);
    }

    [Fact]
    public async Task A_name_that_never_answers_is_a_timeout_within_the_configured_time()
    {
        var watch = Stopwatch.StartNew();
        var a = await Resolver(retries: 1).TxtAsync("x.timeout.test", default);
        watch.Stop();
        Assert.Equal(DnsStatus.Timeout, a.Status);
        Assert.True(a.IsTemporaryFailure);
        // two attempts of 1 s, plus slack for a loaded machine
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.True(watch.Elapsed >= Timeout, $"took only {watch.Elapsed}");
    }

    [Fact]
    public async Task Servfail_is_a_server_failure_not_an_empty_answer()
    {
        var a = await Resolver().TxtAsync("x.servfail.test", default);
        Assert.Equal(DnsStatus.ServerFailure, a.Status);
        Assert.True(a.IsTemporaryFailure);
        Assert.Equal(DnsStatus.ServerFailure, (await Resolver().MxAsync("servfail.test", default)).Status);
    }

    [Fact]
    public async Task Reverse_zones_that_time_out_or_servfail()
    {
        Assert.Equal(DnsStatus.Timeout, (await Resolver().PtrAsync(IPAddress.Parse("198.51.100.9"), default)).Status);
        Assert.Equal(DnsStatus.ServerFailure, (await Resolver().PtrAsync(IPAddress.Parse("203.0.113.9"), default)).Status);
    }

    [Fact]
    public async Task A_server_that_is_not_there_is_a_temporary_failure()
    {
        var r = new DnsClientResolver(new DnsResolverOptions { NameServers = ["127.0.0.1:9"], Timeout = Timeout, Retries = 0 });
        var a = await r.TxtAsync("example.test", default);
        Assert.True(a.IsTemporaryFailure, a.Status.ToString());
    }

    [Fact]
    public async Task A_name_dns_cannot_carry_is_nxdomain_not_an_exception()
    {
        var a = await Resolver().TxtAsync(new string('a', 64) + ".test", default);
        Assert.Equal(DnsStatus.NxDomain, a.Status);
    }

    [Fact]
    public async Task Cancellation_is_reported_as_a_timeout()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var r = new DnsClientResolver(new DnsResolverOptions { NameServers = [fixture.Dns.NameServer], Timeout = TimeSpan.FromSeconds(5) });
        var a = await r.TxtAsync("y.timeout.test", cts.Token);
        Assert.Equal(DnsStatus.Timeout, a.Status);
    }

    [Fact]
    public void Name_servers_parse_with_and_without_port()
    {
        var eps = new DnsResolverOptions { NameServers = ["127.0.0.1:5300", "192.0.2.1", "[::1]:53"] }.ParseNameServers();
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 5300), new IPEndPoint(IPAddress.Parse("192.0.2.1"), 53),
            new IPEndPoint(IPAddress.IPv6Loopback, 53)], eps);
        Assert.Throws<FormatException>(() => new DnsResolverOptions { NameServers = ["dns.example"] }.ParseNameServers());
    }
}
