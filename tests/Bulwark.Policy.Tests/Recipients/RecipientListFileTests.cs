using Bulwark.Policy.Recipients;

namespace Bulwark.Policy.Tests.Recipients;

public sealed class RecipientListFileTests
{
    [Fact]
    public void Addresses_are_grouped_by_domain_in_lower_case_skipping_comments_and_blank_lines()
    {
        var lists = RecipientListFile.Parse(["# staff", "Alice@Example.org", "", "  bob@example.org  ", "carol@other.example", "   # indented comment"]);

        Assert.Equal(["example.org", "other.example"], lists.Keys.Order());
        Assert.Equal(["alice", "bob"], lists["example.org"].Order());
        Assert.Equal(["carol"], lists["other.example"]);
    }

    [Theory]
    [InlineData("no-at-sign", 2)]
    [InlineData("@example.org", 2)]
    [InlineData("alice@", 2)]
    [InlineData("alice smith@example.org", 2)]
    [InlineData("alice@exa..mple.org", 2)]
    public void A_bad_line_fails_the_load_naming_its_line_number(string bad, int line)
    {
        var ex = Assert.Throws<FormatException>(() => RecipientListFile.Parse(["ok@example.org", bad, "also@example.org"], "list.txt"));

        Assert.StartsWith($"list.txt:{line}:", ex.Message);
    }
}
