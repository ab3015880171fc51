using Bulwark.Policy.Dmarc;

namespace Bulwark.Policy.Tests.Dmarc;

public class FromHeaderTests
{
    [Fact]
    public void One_field_one_domain_is_evaluated()
    {
        var from = new FromHeader(1, ["example.com"], true);
        Assert.Equal("example.com", from.Domain);
        Assert.Null(from.Refusal);
    }

    [Fact]
    public void Several_mailboxes_of_one_domain_are_one_author_domain() =>
        Assert.Equal("example.com", new FromHeader(1, ["example.com", "example.com"], true).Domain);

    [Fact]
    public void Missing_doubled_unreadable_and_mixed_from_are_refused_with_5_7_1()
    {
        foreach (var from in new[]
                 {
                     new FromHeader(0, [], true), new FromHeader(2, ["a.test", "a.test"], true),
                     new FromHeader(1, [], false), new FromHeader(1, ["a.test", "b.test"], true),
                 })
        {
            Assert.Null(from.Domain);
            Assert.Equal(550, from.Refusal?.Code);
            Assert.Equal("5.7.1", from.Refusal?.EnhancedCode);
        }
    }
}
