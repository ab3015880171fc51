using Bulwark.Policy.Addressing;

namespace Bulwark.Policy.Tests.Addressing;

public sealed class MailboxTests
{
    [Theory]
    [InlineData("user", "x.example", "user@x.example")]
    [InlineData("first.last+tag", "x.example", "first.last+tag@x.example")]
    [InlineData("john doe", "x.example", "\"john doe\"@x.example")]
    [InlineData("a\"b\\c", "x.example", "\"a\\\"b\\\\c\"@x.example")]
    [InlineData("a..b", "x.example", "\"a..b\"@x.example")]
    [InlineData("", "x.example", "\"\"@x.example")]
    [InlineData("a@b", "x.example", "\"a@b\"@x.example")]
    [InlineData("Postmaster", "", "Postmaster")]
    public void Address_requotes_the_local_part_only_when_needed(string local, string domain, string address)
    {
        var mailbox = new Mailbox(local, domain);
        Assert.Equal(address, mailbox.Address);
        Assert.Equal(address, mailbox.ToString());
    }

    [Fact]
    public void With_recomputes_the_address_and_equality_follows_the_parts()
    {
        var original = new Mailbox("user", "a.example");
        var moved = original with { Domain = "b.example" };
        Assert.Equal("user@b.example", moved.Address);
        Assert.Equal(new Mailbox("user", "b.example"), moved);
        Assert.Equal(new Mailbox("user", "b.example").GetHashCode(), moved.GetHashCode());
        Assert.Equal("john doe@a.example".Length + 2, (original with { LocalPart = "john doe" }).Address.Length);
        Assert.NotEqual(original, moved);
    }
}
