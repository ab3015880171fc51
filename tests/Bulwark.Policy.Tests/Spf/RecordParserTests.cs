using System.Net;
using Bulwark.Policy.Spf;

namespace Bulwark.Policy.Tests.Spf;

public sealed class RecordParserTests
{
    private static SpfRecord Parse(string text)
    {
        Assert.True(RecordParser.TryParse(text, out var record, out var problem), problem);
        return record;
    }

    [Theory]
    [InlineData("v=spf1", true)]
    [InlineData("V=SpF1 -all", true)]
    [InlineData("v=spf1  a  -all ", true)]
    [InlineData("v=spf10", false)]
    [InlineData("v=spf1x -all", false)]
    [InlineData("spf2.0/pra -all", false)]
    [InlineData(" v=spf1 -all", false)]
    public void Version_is_spf1_followed_by_space_or_end(string text, bool isSpf) =>
        Assert.Equal(isSpf, RecordParser.IsSpfRecord(text));

    [Fact]
    public void Qualifiers_and_kinds_are_read_and_pass_is_the_default()
    {
        var r = Parse("v=spf1 a -mx ~ptr ?include:_spf.example.com +exists:%{i}.bl.example.com ip4:192.0.2.0/24 ip6:2001:db8::/32 -all");
        Assert.Equal(
            [SpfMechanismKind.A, SpfMechanismKind.Mx, SpfMechanismKind.Ptr, SpfMechanismKind.Include,
             SpfMechanismKind.Exists, SpfMechanismKind.Ip4, SpfMechanismKind.Ip6, SpfMechanismKind.All],
            r.Mechanisms.Select(m => m.Kind));
        Assert.Equal(
            [SpfQualifier.Pass, SpfQualifier.Fail, SpfQualifier.SoftFail, SpfQualifier.Neutral,
             SpfQualifier.Pass, SpfQualifier.Pass, SpfQualifier.Pass, SpfQualifier.Fail],
            r.Mechanisms.Select(m => m.Qualifier));
        Assert.Equal("_spf.example.com", r.Mechanisms[3].DomainSpec);
        Assert.Equal(IPAddress.Parse("192.0.2.0"), r.Mechanisms[5].Network);
        Assert.Equal(24, r.Mechanisms[5].Cidr4);
        Assert.Equal(32, r.Mechanisms[6].Cidr6);
    }

    [Fact]
    public void Dual_cidr_lengths_are_split_from_the_end_of_the_domain()
    {
        var r = Parse("v=spf1 a/24//64 mx:mail.example.com/30 A:foo:bar/baz.example.com a//0");
        Assert.Equal((null, 24, 64), (r.Mechanisms[0].DomainSpec, r.Mechanisms[0].Cidr4, r.Mechanisms[0].Cidr6));
        Assert.Equal(("mail.example.com", 30, 128), (r.Mechanisms[1].DomainSpec, r.Mechanisms[1].Cidr4, r.Mechanisms[1].Cidr6));
        Assert.Equal(("foo:bar/baz.example.com", 32), (r.Mechanisms[2].DomainSpec, r.Mechanisms[2].Cidr4));
        Assert.Equal((32, 0), (r.Mechanisms[3].Cidr4, r.Mechanisms[3].Cidr6));
    }

    [Fact]
    public void Modifiers_are_collected_and_unknown_ones_kept()
    {
        var r = Parse("v=spf1 redirect=_spf.%{d2} exp=why.example.com moo.cow-far_out=man:dog/cat");
        Assert.Equal("_spf.%{d2}", r.Redirect);
        Assert.Equal("why.example.com", r.Explanation);
        Assert.Equal(new SpfModifier("moo.cow-far_out", "man:dog/cat"), Assert.Single(r.UnknownModifiers));
        Assert.Empty(r.Mechanisms);
    }

    [Theory]
    [InlineData("v=spf1 ip4:1.2.3")]             // short address
    [InlineData("v=spf1 ip4:01.2.3.4")]          // leading zero
    [InlineData("v=spf1 ip4:1.2.3.4/032")]       // leading zero in cidr
    [InlineData("v=spf1 ip4:1.2.3.4/33")]
    [InlineData("v=spf1 ip4:1.2.3.4//32")]
    [InlineData("v=spf1 ip4:1.2.3.4:8080")]
    [InlineData("v=spf1 ip6:::1/129")]
    [InlineData("v=spf1 ip6::CAFE::BABE")]
    [InlineData("v=spf1 ip6:fe80::1%eth0")]
    [InlineData("v=spf1 a/33")]
    [InlineData("v=spf1 a//129")]
    [InlineData("v=spf1 a/24/64")]
    public void Bad_networks_and_cidrs_are_syntax_errors(string text) =>
        Assert.False(RecordParser.TryParse(text, out _, out _));

    [Theory]
    [InlineData("v=spf1 a:museum")]              // no dot before the toplabel
    [InlineData("v=spf1 a:museum.")]
    [InlineData("v=spf1 a:abc.123")]             // numeric toplabel
    [InlineData("v=spf1 a:111.222.33.44")]
    [InlineData("v=spf1 a:example.-com")]
    [InlineData("v=spf1 a:example.com:8080")]
    [InlineData("v=spf1 a:")]
    [InlineData("v=spf1 include")]
    [InlineData("v=spf1 include:ip5.example.com/24")]
    [InlineData("v=spf1 exists:mail.example.com/24")]
    [InlineData("v=spf1 ptr/0")]
    [InlineData("v=spf1 ptr:")]
    public void Bad_domain_specs_are_syntax_errors(string text) =>
        Assert.False(RecordParser.TryParse(text, out _, out _));

    [Theory]
    [InlineData("v=spf1 a:foo.example.xn--zckzah")]
    [InlineData("v=spf1 a:%{H}")]
    [InlineData("v=spf1 exists:%{i}.%{l2r-}.user.%{d2}")]
    [InlineData("v=spf1 include:o.spf.example.com.")]
    [InlineData("v=spf1 a:macro%%percent%_%_space%-url-space.example.com")]
    public void Good_domain_specs_parse(string text) => Parse(text);

    [Theory]
    [InlineData("v=spf1 -all.")]
    [InlineData("v=spf1 -all:foobar")]
    [InlineData("v=spf1 -all/8")]
    [InlineData("v=spf1 redirect:t2.example.com")]   // a modifier written as a mechanism
    [InlineData("v=spf1 moo.cow/far_out=man:dog/cat")]
    [InlineData("v=spf1 1up=foo")]
    [InlineData("v=spf1 =all")]
    [InlineData("v=spf1 -all foo=%abc")]            // unknown modifiers are still syntax-checked
    [InlineData("v=spf1 +redirect=example.com")]
    [InlineData("v=spf1 redirect=a.example.com redirect=b.example.com")]
    [InlineData("v=spf1 exp=a.example.com exp=b.example.com")]
    [InlineData("v=spf1 exp=")]
    [InlineData("v=spf1 exp=%{r}.example.com")]
    [InlineData("v=spf1 a:ctrl.example.com\rptr -all")]
    [InlineData("v=spf1 \u0080a:example.net -all")]
    [InlineData("v=spf1 -all\t")]
    public void Other_syntax_errors_anywhere_make_the_record_invalid(string text) =>
        Assert.False(RecordParser.TryParse(text, out _, out _));
}
