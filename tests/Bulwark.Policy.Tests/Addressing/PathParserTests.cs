using Bulwark.Policy.Addressing;

namespace Bulwark.Policy.Tests.Addressing;

public sealed class PathParserTests
{
    private static ParsedPath Parse(string argument, bool allowNullPath = false)
    {
        Assert.True(PathParser.TryParse(argument, allowNullPath, out var path, out var problem), $"{argument}: {problem}");
        return path!;
    }

    private static PathProblem Refused(string argument, bool allowNullPath = false)
    {
        Assert.False(PathParser.TryParse(argument, allowNullPath, out var path, out var problem), argument);
        Assert.Null(path);
        return problem;
    }

    [Fact]
    public void Plain_path_gives_mailbox_with_lower_cased_domain_and_local_part_as_written()
    {
        var path = Parse("<John.Smith@Example.COM>");
        Assert.Equal(new Mailbox("John.Smith", "example.com"), path.Mailbox);
        Assert.Equal("John.Smith@example.com", path.Mailbox!.Address);
        Assert.Empty(path.Parameters);
        Assert.False(path.HadSourceRoute);
        Assert.False(path.LocalPartWasQuoted);
        Assert.True(path.HadAngleBrackets);
        Assert.Equal("<John.Smith@Example.COM>", path.Raw);
    }

    [Theory]
    [InlineData(" <a@b.example>")]
    [InlineData("   <a@b.example>   ")]
    public void Spaces_after_the_colon_and_at_the_end_are_tolerated(string argument) =>
        Assert.Equal("a@b.example", Parse(argument).Mailbox!.Address);

    [Fact]
    public void Bare_address_without_brackets_is_accepted_and_noted()
    {
        var path = Parse("a@b.example SIZE=10");
        Assert.False(path.HadAngleBrackets);
        Assert.Equal("a@b.example", path.Raw);
        Assert.Equal("10", path.Parameters["SIZE"]);
    }

    [Fact]
    public void Null_path_is_accepted_only_as_a_reverse_path()
    {
        var path = Parse("<> BODY=8BITMIME", allowNullPath: true);
        Assert.Null(path.Mailbox);
        Assert.True(path.IsNullPath);
        Assert.Equal("8BITMIME", path.Parameters["BODY"]);
        Assert.Equal(PathProblem.Syntax, Refused("<>"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("<")]
    [InlineData("<a@b.example")]
    [InlineData("a@b.example>")]
    [InlineData("<a@b.example>x")]
    [InlineData("<<a@b.example>>")]
    [InlineData("<a b@c.example>")]
    [InlineData("<a@b.example\r\n>")]
    [InlineData("<a@b.example>\r\n")]
    [InlineData("\t<a@b.example>")]
    [InlineData("<a@>")]
    [InlineData("<@b.example>")]
    [InlineData("<a>")]
    [InlineData("<a..b@c.example>")]
    [InlineData("<a@b..example>")]
    [InlineData("<a@-b.example>")]
    [InlineData("<a@b_c.example>")]
    [InlineData("<a@b.example.>")]
    [InlineData("<\"unterminated@b.example>")]
    [InlineData("<\"a\"b@c.example>")]
    [InlineData("<a(comment)@b.example>")]
    public void Malformed_paths_are_syntax_problems(string argument) =>
        Assert.Equal(PathProblem.Syntax, Refused(argument));

    [Fact]
    public void Null_argument_is_refused_not_thrown() =>
        Assert.Equal(PathProblem.Syntax, Refused(null!));

    [Fact]
    public void Source_route_is_legal_syntax_and_reported()
    {
        Assert.True(PathParser.TryParse("<@a.example,@b.example:user@c.example>", false, out var path, out var problem));
        Assert.True(path!.HadSourceRoute);
        Assert.Equal(PathProblem.SourceRoute, problem);
        Assert.Equal(new Mailbox("user", "c.example"), path.Mailbox);
    }

    [Theory]
    [InlineData("<@a.example user@c.example>")]
    [InlineData("<@a.example,user@c.example>")]
    [InlineData("<@:user@c.example>")]
    [InlineData("<@[192.0.2.1]:user@c.example>")]
    [InlineData("<@a.example,:user@c.example>")]
    [InlineData("<@a.example:postmaster>")]
    public void Malformed_source_routes_are_syntax_problems(string argument) =>
        Assert.Equal(PathProblem.Syntax, Refused(argument));

    [Theory]
    [InlineData("<\"john doe\"@example.com>", "john doe", "\"john doe\"@example.com")]
    [InlineData("<\"a\\\"b\"@x.example>", "a\"b", "\"a\\\"b\"@x.example")]
    [InlineData("<\"a\\\\b\"@x.example>", "a\\b", "\"a\\\\b\"@x.example")]
    [InlineData("<\"plain\"@x.example>", "plain", "plain@x.example")]
    [InlineData("<\"\\p\\l\"@x.example>", "pl", "pl@x.example")]
    [InlineData("<\"\"@x.example>", "", "\"\"@x.example")]
    [InlineData("<\".dot\"@x.example>", ".dot", "\".dot\"@x.example")]
    public void Quoted_local_parts_are_unquoted_and_requoted_only_if_needed(string argument, string local, string address)
    {
        var path = Parse(argument);
        Assert.True(path.LocalPartWasQuoted);
        Assert.Equal(local, path.Mailbox!.LocalPart);
        Assert.Equal(address, path.Mailbox.Address);
    }

    [Theory]
    [InlineData("<a%b.example@us.example>", PathProblem.PercentHack)]
    [InlineData("<b.example!a@us.example>", PathProblem.BangPath)]
    [InlineData("<\"a@b.example\"@us.example>", PathProblem.QuotedAt)]
    [InlineData("<\"a%b\"@us.example>", PathProblem.PercentHack)]
    [InlineData("<a@[192.0.2.1]>", PathProblem.AddressLiteral)]
    [InlineData("<@r.example:a%b@[192.0.2.1]>", PathProblem.SourceRoute)]
    [InlineData("<a@us.example>", PathProblem.None)]
    public void Routing_features_parse_and_are_reported_as_the_problem(string argument, PathProblem expected)
    {
        Assert.True(PathParser.TryParse(argument, false, out var path, out var problem));
        Assert.NotNull(path);
        Assert.Equal(expected, problem);
    }

    [Fact]
    public void Local_part_of_64_octets_parses_and_65_is_too_long()
    {
        Parse("<" + new string('a', 64) + "@x.example>");
        Assert.Equal(PathProblem.TooLong, Refused("<" + new string('a', 65) + "@x.example>"));
    }

    [Fact]
    public void Limits_count_utf8_octets_not_characters()
    {
        Parse("<" + new string('ä', 32) + "@x.example>");          // 64 octets
        Assert.Equal(PathProblem.TooLong, Refused("<" + new string('ä', 33) + "@x.example>")); // 66 octets
    }

    [Fact]
    public void Label_over_63_octets_is_too_long()
    {
        Parse("<a@" + new string('b', 63) + ".example>");
        Assert.Equal(PathProblem.TooLong, Refused("<a@" + new string('b', 64) + ".example>"));
    }

    [Fact]
    public void Domain_over_255_octets_and_path_over_256_are_too_long()
    {
        var label = new string('d', 63);
        var domain255 = $"{label}.{label}.{label}.{new string('d', 63)}"; // 4*63+3 = 255
        Assert.Equal(255, domain255.Length);
        var domain256 = domain255[..^2] + ".dd";                                // labels <= 63
        Assert.Equal(256, domain256.Length);
        Assert.Equal(PathProblem.TooLong, Refused($"<a@{domain256}>"));
        Assert.Equal(PathProblem.TooLong, Refused($"<a@{domain255}>"));          // path 259
        var domain252 = domain255[3..];
        Parse($"<a@{domain252}>");                                              // path 256 exactly
        Assert.Equal(PathProblem.TooLong, Refused($"<ab@{domain252}>"));         // path 257
        Assert.Equal(PathProblem.TooLong, Refused($"ab@{domain252}"));           // bare: brackets still count
    }

    [Fact]
    public void Bare_postmaster_is_a_forward_path_only()
    {
        var path = Parse("<Postmaster>");
        Assert.True(path.IsBarePostmaster);
        Assert.Equal(new Mailbox("Postmaster", ""), path.Mailbox);
        Assert.Equal("Postmaster", path.Mailbox!.Address);
        Assert.True(Parse("postmaster").IsBarePostmaster);
        Assert.Equal(PathProblem.Syntax, Refused("<postmaster>", allowNullPath: true));
        Assert.Equal(PathProblem.Syntax, Refused("<\"postmaster\">"));
        Assert.Equal(PathProblem.Syntax, Refused("<webmaster>"));
        Assert.False(Parse("<postmaster@x.example>").IsBarePostmaster);
    }

    [Fact]
    public void Named_wrappers_pick_the_path_kind()
    {
        Assert.True(PathParser.TryParseReversePath("<>", out _, out _));
        Assert.False(PathParser.TryParseForwardPath("<>", out _, out _));
        Assert.True(PathParser.TryParseForwardPath("<postmaster>", out _, out _));
        Assert.False(PathParser.TryParseReversePath("<postmaster>", out _, out _));
    }
}
