using System.Net;
using Bulwark.Dns;
using Bulwark.Policy.Dns;
using Bulwark.Tests.Shared;

namespace Bulwark.Dns.Tests.Dns;

public sealed class ForwardConfirmedReverseDnsTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.7");

    [Fact]
    public async Task Confirmed_when_a_ptr_name_resolves_back()
    {
        var dns = new InMemoryDnsResolver()
            .AddPtr(Client, "other.example.test").AddA("other.example.test", "192.0.2.99")
            .AddPtr(Client, "mail.example.test").AddA("mail.example.test", "192.0.2.7");
        var r = await ForwardConfirmedReverseDns.CheckAsync(dns, Client, default);
        Assert.Equal(new ForwardConfirmedReverseDns.Outcome(IprevResult.Pass, "mail.example.test"), r);
    }

    [Fact]
    public async Task Ipv4_mapped_addresses_are_checked_as_ipv4()
    {
        var dns = new InMemoryDnsResolver().AddPtr(Client, "mail.example.test").AddA("mail.example.test", "192.0.2.7");
        var r = await ForwardConfirmedReverseDns.CheckAsync(dns, Client.MapToIPv6(), default);
        Assert.Equal(IprevResult.Pass, r.Result);
    }

    [Fact]
    public async Task Ipv6_uses_aaaa()
    {
        var ip = IPAddress.Parse("2001:db8::7");
        var dns = new InMemoryDnsResolver().AddPtr(ip, "v6.example.test").AddAaaa("v6.example.test", "2001:db8::7")
            .AddA("v6.example.test", "192.0.2.7");
        Assert.Equal(IprevResult.Pass, (await ForwardConfirmedReverseDns.CheckAsync(dns, ip, default)).Result);
    }

    [Fact]
    public async Task Unconfirmed_or_missing_ptr_fails()
    {
        var dns = new InMemoryDnsResolver().AddPtr(Client, "liar.example.test").AddA("liar.example.test", "192.0.2.99");
        Assert.Equal(IprevResult.Fail, (await ForwardConfirmedReverseDns.CheckAsync(dns, Client, default)).Result);
        Assert.Equal(IprevResult.Fail, (await ForwardConfirmedReverseDns.CheckAsync(new InMemoryDnsResolver(), Client, default)).Result);
        var nodata = new InMemoryDnsResolver().AddName(InMemoryDnsResolver.ReverseName(Client));
        Assert.Equal(IprevResult.Fail, (await ForwardConfirmedReverseDns.CheckAsync(nodata, Client, default)).Result);
    }

    [Fact]
    public async Task Failures_that_could_change_the_outcome_are_temperror()
    {
        var ptrTimeout = new InMemoryDnsResolver().MarkTimeout(InMemoryDnsResolver.ReverseName(Client));
        Assert.Equal(IprevResult.TempError, (await ForwardConfirmedReverseDns.CheckAsync(ptrTimeout, Client, default)).Result);
        var forwardFails = new InMemoryDnsResolver().AddPtr(Client, "a.example.test").MarkServerFailure("a.example.test");
        Assert.Equal(IprevResult.TempError, (await ForwardConfirmedReverseDns.CheckAsync(forwardFails, Client, default)).Result);
        // one confirmed name is enough even when another name's lookup failed
        var mixed = new InMemoryDnsResolver().AddPtr(Client, "a.example.test").MarkServerFailure("a.example.test")
            .AddPtr(Client, "b.example.test").AddA("b.example.test", "192.0.2.7");
        Assert.Equal(IprevResult.Pass, (await ForwardConfirmedReverseDns.CheckAsync(mixed, Client, default)).Result);
    }

    [Fact]
    public async Task At_most_ten_ptr_names_are_followed()
    {
        var dns = new InMemoryDnsResolver();
        for (var i = 0; i < 12; i++) dns.AddPtr(Client, $"n{i}.example.test");
        dns.AddA("n11.example.test", "192.0.2.7"); // only the 12th confirms
        dns.ResetCounters();
        Assert.Equal(IprevResult.Fail, (await ForwardConfirmedReverseDns.CheckAsync(dns, Client, default)).Result);
        Assert.Equal(1 + ForwardConfirmedReverseDns.MaxNames, dns.QueryCount);
    }
}
