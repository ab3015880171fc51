using System.Net;
using Bulwark.Policy.Dns;

namespace Bulwark.Policy.Tests.Dns;

public sealed class SenderDomainRulesTests
{
    private static DnsAnswer<MxRecord> Mx(params MxRecord[] r) => new(DnsStatus.Ok, r, TimeSpan.FromMinutes(5));
    private static DnsAnswer<MxRecord> Mx(DnsStatus s) => DnsAnswer<MxRecord>.Of(s);
    private static DnsAnswer<IPAddress> Addr(DnsStatus s) => s == DnsStatus.Ok
        ? new DnsAnswer<IPAddress>(s, [IPAddress.Parse("192.0.2.1")], TimeSpan.FromMinutes(5))
        : DnsAnswer<IPAddress>.Of(s);

    [Theory]
    [InlineData(0, ".", true)]
    [InlineData(0, "", true)]
    [InlineData(0, " . ", true)]
    [InlineData(10, ".", false)]
    [InlineData(0, "mx.example.test", false)]
    public void Null_mx_is_exactly_preference_0_and_the_root(int pref, string exchange, bool isNull)
    {
        Assert.Equal(isNull, SenderDomainRules.IsNullMx([new MxRecord(pref, exchange)]));
    }

    [Fact]
    public void A_null_mx_next_to_real_ones_is_not_a_null_mx()
    {
        Assert.False(SenderDomainRules.IsNullMx([new MxRecord(0, ""), new MxRecord(10, "mx.example.test")]));
        Assert.Equal(SenderDomainState.Exists, SenderDomainRules.Classify(Mx(new MxRecord(0, ""), new MxRecord(10, "mx.example.test"))));
        Assert.False(SenderDomainRules.IsNullMx([]));
    }

    [Fact]
    public void Mx_answer_alone_decides_unless_nodata()
    {
        Assert.Equal(SenderDomainState.Exists, SenderDomainRules.Classify(Mx(new MxRecord(10, "mx.example.test"))));
        Assert.Equal(SenderDomainState.NullMx, SenderDomainRules.Classify(Mx(new MxRecord(0, "."))));
        Assert.Equal(SenderDomainState.NxDomain, SenderDomainRules.Classify(Mx(DnsStatus.NxDomain)));
        Assert.Equal(SenderDomainState.TemporaryFailure, SenderDomainRules.Classify(Mx(DnsStatus.Timeout)));
        Assert.Equal(SenderDomainState.TemporaryFailure, SenderDomainRules.Classify(Mx(DnsStatus.ServerFailure)));
        Assert.False(SenderDomainRules.NeedsAddressLookup(Mx(DnsStatus.NxDomain)));
        Assert.True(SenderDomainRules.NeedsAddressLookup(Mx(DnsStatus.NoData)));
    }

    [Theory]
    [InlineData(DnsStatus.Ok, DnsStatus.NoData, SenderDomainState.Exists)]
    [InlineData(DnsStatus.NoData, DnsStatus.Ok, SenderDomainState.Exists)]
    [InlineData(DnsStatus.Ok, DnsStatus.Timeout, SenderDomainState.Exists)]
    [InlineData(DnsStatus.NoData, DnsStatus.NoData, SenderDomainState.NoMailRoute)]
    [InlineData(DnsStatus.NoData, DnsStatus.Timeout, SenderDomainState.TemporaryFailure)]
    [InlineData(DnsStatus.ServerFailure, DnsStatus.NoData, SenderDomainState.TemporaryFailure)]
    [InlineData(DnsStatus.NxDomain, DnsStatus.NxDomain, SenderDomainState.NxDomain)]
    public void Implicit_mx_from_addresses(DnsStatus a, DnsStatus aaaa, SenderDomainState expected)
    {
        Assert.Equal(expected, SenderDomainRules.Classify(Mx(DnsStatus.NoData), Addr(a), Addr(aaaa)));
    }

    [Fact]
    public void Nodata_without_the_address_answers_is_not_a_conclusion()
    {
        Assert.Equal(SenderDomainState.TemporaryFailure, SenderDomainRules.Classify(Mx(DnsStatus.NoData)));
    }
}
