using System.Net;
using Bulwark.Policy.Reputation;

namespace Bulwark.Policy.Tests.Reputation;

public sealed class IpKeyTests
{
    [Theory]
    [InlineData("192.0.2.7", "192.0.2.7")]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("fe80::1%3", "fe80::/64")]
    public void An_address_is_keyed_by_itself_for_IPv4_and_by_its_slash_64_for_IPv6(string ip, string expected)
    {
        var key = IpKey.For(IPAddress.Parse(ip));

        Assert.Equal(expected, key);
    }

    [Fact]
    public void Two_addresses_in_the_same_IPv6_slash_64_share_one_key()
    {
        var a = IpKey.For(IPAddress.Parse("2001:db8:1:2::1"));
        var b = IpKey.For(IPAddress.Parse("2001:db8:1:2:ffff::9"));
        var other = IpKey.For(IPAddress.Parse("2001:db8:1:3::1"));

        Assert.Equal(a, b);
        Assert.NotEqual(a, other);
    }

    [Theory]
    [InlineData("192.0.2.7", "192.0.2.7")]
    [InlineData(" 192.0.2.7 ", "192.0.2.7")]
    [InlineData("2001:db8:1:2::/64", "2001:db8:1:2::/64")]
    [InlineData("2001:DB8:1:2:0:0:0:0/64", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::5", "2001:db8:1:2::/64")]
    [InlineData("::ffff:10.1.2.3", "10.1.2.3")]
    public void Operator_input_is_normalised_to_the_key(string text, string expected)
    {
        var ok = IpKey.TryParse(text, out var key);

        Assert.True(ok);
        Assert.Equal(expected, key);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("example.com")]
    [InlineData("192.0.2.0/24")]
    [InlineData("2001:db8::/48")]
    [InlineData("192.0.2.1/64")]
    [InlineData("300.1.1.1")]
    public void Input_that_is_not_an_address_or_a_slash_64_is_refused(string text)
    {
        Assert.False(IpKey.TryParse(text, out _));
    }

    [Fact]
    public void The_address_of_a_slash_64_key_is_its_prefix()
    {
        var ok = IpKey.TryGetAddress("2001:db8:1:2::/64", out var address);

        Assert.True(ok);
        Assert.Equal(IPAddress.Parse("2001:db8:1:2::"), address);
    }
}
