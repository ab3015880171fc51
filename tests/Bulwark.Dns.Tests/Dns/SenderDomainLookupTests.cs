using Bulwark.Dns;
using Bulwark.Policy.Dns;
using Bulwark.Tests.Shared;

namespace Bulwark.Dns.Tests.Dns;

public sealed class SenderDomainLookupTests
{
    [Fact]
    public async Task Lookup_asks_mx_first_and_addresses_only_when_needed()
    {
        var dns = new InMemoryDnsResolver()
            .AddMx("mx.test", 10, "mail.mx.test")
            .AddMx("null.test", 0, ".")
            .AddA("aonly.test", "192.0.2.1")
            .AddAaaa("v6only.test", "2001:db8::1")
            .AddTxt("txtonly.test", "v=spf1 -all")
            .MarkTimeout("slow.test");
        Assert.Equal(SenderDomainState.Exists, await SenderDomainLookup.CheckAsync(dns, "mx.test", default));
        Assert.Equal(1, dns.QueryCount);
        Assert.Equal(SenderDomainState.NullMx, await SenderDomainLookup.CheckAsync(dns, "null.test", default));
        Assert.Equal(SenderDomainState.Exists, await SenderDomainLookup.CheckAsync(dns, "aonly.test", default));
        Assert.Equal(SenderDomainState.Exists, await SenderDomainLookup.CheckAsync(dns, "v6only.test", default));
        Assert.Equal(SenderDomainState.NoMailRoute, await SenderDomainLookup.CheckAsync(dns, "txtonly.test", default));
        Assert.Equal(SenderDomainState.NxDomain, await SenderDomainLookup.CheckAsync(dns, "nope.test", default));
        Assert.Equal(SenderDomainState.TemporaryFailure, await SenderDomainLookup.CheckAsync(dns, "slow.test", default));
    }
}
