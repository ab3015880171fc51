using Bulwark.Policy.Addressing;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Tests.Addressing;

public sealed class RelayRulesTests
{
    private static readonly IReadOnlySet<string> Ours = new HashSet<string> { "us.example", "other.example" };

    private static ParsedPath Rcpt(string argument)
    {
        Assert.True(PathParser.TryParse(argument, false, out var path, out var problem), $"{argument}: {problem}");
        return path!;
    }

    private static Verdict Check(string argument) => RelayRules.CheckRecipient(Rcpt(argument), Ours);

    [Theory]
    [InlineData("<user@us.example>")]
    [InlineData("<User@US.Example>")]
    [InlineData("<\"john doe\"@other.example>")]
    [InlineData("user@us.example")]
    [InlineData("<postmaster>")]
    public void Plain_local_recipient_continues_to_the_lookup(string argument)
    {
        var verdict = Check(argument);
        Assert.Equal(VerdictKind.Continue, verdict.Kind);
        Assert.Equal("rcpt.relay", verdict.Check);
        Assert.Equal(Evidence.None, verdict.Evidence);
    }

    [Theory]
    [InlineData("<@relay.example:user@us.example>")]
    [InlineData("<user%victim.example@us.example>")]
    [InlineData("<victim.example!user@us.example>")]
    [InlineData("<\"user@victim.example\"@us.example>")]
    public void Routing_syntax_to_our_domain_is_refused_as_a_relay_attempt(string argument)
    {
        var verdict = Check(argument);
        Assert.Equal(VerdictKind.Deny, verdict.Kind);
        Assert.Equal(Replies.RoutingSyntaxDenied, verdict.Reply);
        Assert.Equal("550 5.7.1", $"{verdict.Reply.Code} {verdict.Reply.EnhancedCode}");
        Assert.Equal(Evidence.RelayAttempt, verdict.Evidence);
    }

    [Theory]
    [InlineData("<user@victim.example>")]
    [InlineData("<user@sub.us.example>")]
    [InlineData("<user@us.example.evil.example>")]
    [InlineData("<user@[192.0.2.1]>")]
    [InlineData("<user@[IPv6:2001:db8::1]>")]
    [InlineData("<postmaster@victim.example>")]
    public void Foreign_domain_or_address_literal_is_relaying_denied(string argument)
    {
        var verdict = Check(argument);
        Assert.Equal(VerdictKind.Deny, verdict.Kind);
        Assert.Equal(Replies.RelayDenied, verdict.Reply);
        Assert.Equal(Evidence.RelayAttempt, verdict.Evidence);
    }

    [Fact]
    public void Null_path_as_recipient_is_bad_recipient_syntax()
    {
        Assert.True(PathParser.TryParse("<>", allowNullPath: true, out var nullPath, out _));
        var verdict = RelayRules.CheckRecipient(nullPath!, Ours);
        Assert.Equal(Replies.BadRecipientSyntax, verdict.Reply);
        Assert.Equal(VerdictKind.Deny, verdict.Kind);
    }

    [Fact]
    public void Empty_accepted_set_relays_nothing() =>
        Assert.Equal(Replies.RelayDenied, RelayRules.CheckRecipient(Rcpt("<a@us.example>"), new HashSet<string>()).Reply);

    [Fact]
    public void Bare_postmaster_resolves_to_the_primary_domain()
    {
        var resolved = RelayRules.ResolveBarePostmaster(Rcpt("<POSTMASTER>"), "US.example");
        Assert.Equal(new Mailbox("postmaster", "us.example"), resolved.Mailbox);
        Assert.False(resolved.IsBarePostmaster);
        Assert.Equal(VerdictKind.Continue, RelayRules.CheckRecipient(resolved, Ours).Kind);

        var fromList = RelayRules.ResolveBarePostmaster(Rcpt("<postmaster>"), ["other.example", "us.example"]);
        Assert.Equal("postmaster@other.example", fromList.Mailbox!.Address);

        var normal = Rcpt("<a@us.example>");
        Assert.Same(normal, RelayRules.ResolveBarePostmaster(normal, "us.example"));
    }

    [Theory]
    [InlineData("<User.Name@US.example>", "user.name@us.example")]
    [InlineData("<\"John Doe\"@us.example>", "\"john doe\"@us.example")]
    [InlineData("<\"plain\"@us.example>", "plain@us.example")]
    public void Recipient_key_lower_cases_the_local_part(string argument, string key) =>
        Assert.Equal(key, RelayRules.RecipientKey(Rcpt(argument).Mailbox!));

    [Fact]
    public void Routing_problem_order_is_source_route_first()
    {
        Assert.Equal(PathProblem.SourceRoute, RelayRules.FindRoutingProblem(Rcpt("<@r.example:\"a@b!%\"@[192.0.2.1]>")));
        Assert.Equal(PathProblem.QuotedAt, RelayRules.FindRoutingProblem(Rcpt("<\"a@b!%\"@[192.0.2.1]>")));
        Assert.Equal(PathProblem.PercentHack, RelayRules.FindRoutingProblem(Rcpt("<a!b%c@[192.0.2.1]>")));
        Assert.Equal(PathProblem.BangPath, RelayRules.FindRoutingProblem(Rcpt("<a!b@[192.0.2.1]>")));
        Assert.Equal(PathProblem.AddressLiteral, RelayRules.FindRoutingProblem(Rcpt("<ab@[192.0.2.1]>")));
    }
}
