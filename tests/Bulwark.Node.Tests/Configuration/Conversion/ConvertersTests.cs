using Bulwark.Node.Configuration;
using Bulwark.Node.Configuration.Conversion;
using Bulwark.Policy.Dns;

namespace Bulwark.Node.Tests.Configuration.Conversion;

public class NamedChoiceTests
{
    [Theory]
    [InlineData("soft-reject")]
    [InlineData("Soft-Reject")]
    [InlineData(" SOFT-REJECT ")]
    public void A_name_is_read_trimmed_and_in_any_case(string text)
    {
        Assert.Null(Choices.Iprev.Problem(text));
        Assert.Equal(IprevAction.SoftReject, Choices.Iprev.Parse(text));
    }

    [Fact]
    public void An_unknown_name_is_shown_lower_cased_with_the_names_in_their_order()
    {
        Assert.Equal("'strict' is not one of off, record, soft-reject, reject", Choices.Iprev.Problem(" Strict"));
        Assert.Equal("'mbox' is not one of files, segments", Choices.Spool.Problem("mbox"));
        Assert.Throws<ArgumentException>(() => Choices.Provider.Parse("oracle"));
    }

    [Fact]
    public void The_configuration_names_map_to_the_enums()
    {
        Assert.Equal(IprevAction.RecordOnly, Choices.Iprev.Parse("record"));
        Assert.Equal(IprevAction.Off, Choices.Iprev.Parse("off"));
        Assert.Equal(IprevAction.Reject, Choices.Iprev.Parse("reject"));
        Assert.Equal(SpoolKind.Files, Choices.Spool.Parse("files"));
        Assert.Equal(SpoolKind.Segments, Choices.Spool.Parse("segments"));
        Assert.Equal(PersistenceProvider.Sqlite, Choices.Provider.Parse("sqlite"));
        Assert.Equal(PersistenceProvider.PostgreSql, Choices.Provider.Parse("postgresql"));
    }
}

public class CidrListTests
{
    [Fact]
    public void Networks_and_single_addresses_of_both_families_are_accepted()
    {
        string[] entries = ["10.0.0.0/8", "192.0.2.1", "2001:db8::/32", "::1"];
        Assert.Null(CidrList.Problem(entries));
        Assert.Equal([8, 32, 32, 128], CidrList.Parse(entries).Select(c => c.PrefixLength));
    }

    [Fact]
    public void The_first_entry_that_is_not_a_network_is_named() =>
        Assert.Equal("'10.0.0.0/33' is not a CIDR", CidrList.Problem(["10.0.0.0/8", "10.0.0.0/33", "bogus"]));

    [Fact]
    public void No_list_is_no_networks() => Assert.Empty(CidrList.Parse(null));
}

public class SpamScoreTests
{
    [Fact]
    public void A_threshold_not_given_is_the_fallback() => Assert.Equal(6, SpamScore.Parse(null, 6));

    [Theory]
    [InlineData("never")]
    [InlineData("NEVER")]
    [InlineData("")]
    public void Never_or_empty_is_no_threshold(string text)
    {
        Assert.Null(SpamScore.Problem(text));
        Assert.Null(SpamScore.Parse(text, 6));
    }

    [Theory]
    [InlineData("7.5", 7.5)]
    [InlineData("-2", -2)]
    [InlineData("1e1", 10)]
    public void A_score_is_an_invariant_number(string text, double score) => Assert.Equal(score, SpamScore.Parse(text, 6));

    [Theory]
    [InlineData("high")]
    [InlineData(" never")]
    [InlineData("7,5")]
    public void Anything_else_is_named(string text)
    {
        Assert.Equal($"'{text}' is not a score or 'never'", SpamScore.Problem(text));
        Assert.Throws<ArgumentException>(() => SpamScore.Parse(text, 6));
    }
}
