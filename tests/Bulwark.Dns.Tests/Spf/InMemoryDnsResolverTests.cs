using System.Net;
using System.Net.Sockets;
using Bulwark.Policy.Dns;
using Bulwark.Tests.Shared;

namespace Bulwark.Dns.Tests.Spf;

public sealed class InMemoryDnsResolverTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Existing_name_without_the_type_is_nodata_and_unknown_name_is_nxdomain()
    {
        var zone = new InMemoryDnsResolver().AddA("Host.Example.com.", "192.0.2.1");
        Assert.Equal(DnsStatus.Ok, (await zone.AddressAsync("host.example.com", AddressFamily.InterNetwork, None)).Status);
        Assert.Equal(DnsStatus.NoData, (await zone.TxtAsync("HOST.example.com", None)).Status);
        Assert.Equal(DnsStatus.NxDomain, (await zone.TxtAsync("other.example.com", None)).Status);
        Assert.Equal(3, zone.QueryCount);
        zone.ResetCounters();
        Assert.Equal(0, zone.QueryCount);
    }

    [Fact]
    public async Task Cnames_are_followed_and_loops_fail()
    {
        var zone = new InMemoryDnsResolver()
            .AddCname("alias.example.com", "real.example.com.")
            .AddTxt("real.example.com", ["v=spf1 ", "-all"])
            .AddCname("loop1.example.com", "loop2.example.com")
            .AddCname("loop2.example.com", "loop1.example.com");
        Assert.Equal(["v=spf1 -all"], (await zone.TxtAsync("alias.example.com", None)).Records);
        Assert.Equal(DnsStatus.ServerFailure, (await zone.TxtAsync("loop1.example.com", None)).Status);
    }

    [Fact]
    public async Task Failures_can_target_one_type_or_all()
    {
        var zone = new InMemoryDnsResolver()
            .AddA("a.example.com", "192.0.2.1")
            .MarkTimeout("a.example.com", InMemoryDnsResolver.RecordType.Txt)
            .MarkServerFailure("b.example.com");
        Assert.Equal(DnsStatus.Ok, (await zone.AddressAsync("a.example.com", AddressFamily.InterNetwork, None)).Status);
        Assert.Equal(DnsStatus.Timeout, (await zone.TxtAsync("a.example.com", None)).Status);
        Assert.Equal(DnsStatus.ServerFailure, (await zone.MxAsync("b.example.com", None)).Status);
    }

    [Fact]
    public async Task Ptr_and_mx_answers()
    {
        var ip6 = IPAddress.Parse("2001:db8::cb01");
        var zone = new InMemoryDnsResolver()
            .AddPtr(IPAddress.Parse("192.0.2.3"), "mail.example.com.")
            .AddPtr(ip6, "v6.example.com")
            .AddMx("example.com", 10, "mail.example.com.");
        Assert.Equal("3.2.0.192.in-addr.arpa", InMemoryDnsResolver.ReverseName(IPAddress.Parse("192.0.2.3")));
        Assert.Equal("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa", InMemoryDnsResolver.ReverseName(ip6));
        Assert.Equal(["mail.example.com"], (await zone.PtrAsync(IPAddress.Parse("192.0.2.3"), None)).Records);
        Assert.Equal(["v6.example.com"], (await zone.PtrAsync(ip6, None)).Records);
        Assert.Equal([new MxRecord(10, "mail.example.com")], (await zone.MxAsync("example.com", None)).Records);
    }
}
