using Bulwark.Policy.Dmarc;

namespace Bulwark.Policy.Tests.Dmarc;

public class PublicSuffixListTests
{
    private static readonly PublicSuffixList Psl = DmarcTestData.Psl;

    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("mail.example.com", "example.com")]
    [InlineData("a.b.example.co.uk", "example.co.uk")]
    [InlineData("example.co.uk", "example.co.uk")]
    [InlineData("MAIL.Example.COM", "example.com")]
    [InlineData("foo.bar.ck", "foo.bar.ck")]
    [InlineData("www.ck", "www.ck")]
    [InlineData("a.www.ck", "www.ck")]
    // A name under no listed rule: the implicit "*" rule makes its last label the suffix.
    [InlineData("host.example.invalid", "example.invalid")]
    public void Organizational_domain_is_the_public_suffix_plus_one_label(string domain, string expected) =>
        Assert.Equal(expected, Psl.OrganizationalDomain(domain));

    [Theory]
    [InlineData("com")]
    [InlineData("co.uk")]
    [InlineData("bar.ck")]
    public void A_public_suffix_has_no_organizational_domain(string suffix)
    {
        Assert.True(Psl.IsPublicSuffix(suffix));
        Assert.Null(Psl.OrganizationalDomain(suffix));
    }

    [Fact]
    public void Comments_and_blank_lines_are_not_rules() => Assert.Equal(6, Psl.RuleCount);
}
