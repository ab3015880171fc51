using System.Net;
using Bulwark.Policy.Reputation;

namespace Bulwark.Policy.Tests.Reputation;

public sealed class IpNetworksTests
{
    [Theory]
    [InlineData("192.0.2.0/24", "192.0.2.0", true)]
    [InlineData("192.0.2.0/24", "192.0.2.255", true)]
    [InlineData("192.0.2.0/24", "192.0.3.0", false)]
    [InlineData("10.0.0.0/8", "10.200.1.1", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("192.0.2.128/25", "192.0.2.127", false)]
    [InlineData("192.0.2.128/25", "192.0.2.129", true)]
    [InlineData("192.0.2.7", "192.0.2.7", true)]
    [InlineData("192.0.2.7", "192.0.2.8", false)]
    [InlineData("0.0.0.0/0", "203.0.113.9", true)]
    [InlineData("192.0.2.0/24", "::ffff:192.0.2.9", true)]
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::1", false)]
    [InlineData("2001:db8:1:2::/64", "2001:db8:1:2:abcd::1", true)]
    [InlineData("2001:db8:1:2::/63", "2001:db8:1:3::1", true)]
    [InlineData("2001:db8:1:2::/63", "2001:db8:1:4::1", false)]
    [InlineData("2001:db8::1", "2001:db8::1", true)]
    [InlineData("192.0.2.0/24", "2001:db8::1", false)]
    [InlineData("2001:db8::/32", "192.0.2.1", false)]
    public void A_network_contains_exactly_the_addresses_under_its_prefix(string network, string ip, bool expected)
    {
        var cidr = IpNetworks.Parse(network);

        Assert.Equal(expected, cidr.Covers(IPAddress.Parse(ip)));
    }

    [Fact]
    public void Host_bits_given_in_the_network_are_ignored()
    {
        var cidr = IpNetworks.Parse("192.0.2.77/24");

        Assert.Equal("192.0.2.0/24", cidr.ToString());
        Assert.True(cidr.Covers(IPAddress.Parse("192.0.2.1")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("192.0.2.0/33")]
    [InlineData("2001:db8::/129")]
    [InlineData("192.0.2.0/-1")]
    [InlineData("example.com/24")]
    [InlineData("192.0.2.0/x")]
    public void Malformed_networks_are_refused(string text)
    {
        Assert.False(IpNetworks.TryParse(text, out _));
        Assert.Throws<FormatException>(() => IpNetworks.Parse(text));
    }

    [Fact]
    public void An_allowlisted_slash_64_key_is_checked_by_its_prefix_address()
    {
        var allowlist = new ReputationOptions { Allowlist = ["2001:db8:1::/48", "198.51.100.0/24"] }.ParseAllowlist();

        Assert.True(ReputationOptions.IsAllowlisted("2001:db8:1:2::/64", allowlist));
        Assert.True(ReputationOptions.IsAllowlisted("198.51.100.20", allowlist));
        Assert.False(ReputationOptions.IsAllowlisted("2001:db8:2:2::/64", allowlist));
        Assert.False(ReputationOptions.IsAllowlisted("203.0.113.1", allowlist));
        Assert.False(ReputationOptions.IsAllowlisted("not-a-key", allowlist));
    }
}
