using Bulwark.Policy.Recipients;

namespace Bulwark.Policy.Tests.Recipients;

public class StaticDirectoryTests
{
    private static readonly DomainDirectoryOptions Listed = new() { StaticRecipients = new HashSet<string> { "alice" } };
    private static readonly DomainDirectoryOptions Probed = Listed with { CallAhead = new CallAheadOptions { Enabled = true } };

    [Fact]
    public void Postmaster_always_exists_even_with_an_empty_list() =>
        Assert.Equal((RecipientExistence.Exists, "static"), StaticDirectory.Answer(new DomainDirectoryOptions(), "postmaster"));

    [Fact]
    public void A_listed_local_part_exists_and_others_are_unknown_without_call_ahead()
    {
        Assert.Equal((RecipientExistence.Exists, "static"), StaticDirectory.Answer(Listed, "alice"));
        Assert.Equal((RecipientExistence.Unknown, "static"), StaticDirectory.Answer(Listed, "mallory"));
    }

    [Fact]
    public void Catch_all_takes_everyone() =>
        Assert.Equal((RecipientExistence.Exists, "catch-all"), StaticDirectory.Answer(new DomainDirectoryOptions { CatchAll = true }, "x"));

    [Fact]
    public void With_call_ahead_only_the_probe_can_refuse()
    {
        Assert.Equal((RecipientExistence.Exists, "static"), StaticDirectory.Answer(Probed, "alice"));
        Assert.Null(StaticDirectory.Answer(Probed, "mallory"));
    }
}
