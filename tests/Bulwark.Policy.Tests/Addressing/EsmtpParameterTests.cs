using Bulwark.Policy.Addressing;

namespace Bulwark.Policy.Tests.Addressing;

public sealed class EsmtpParameterTests
{
    private static IReadOnlyDictionary<string, string?> Parameters(string argument)
    {
        Assert.True(PathParser.TryParse(argument, true, out var path, out var problem), $"{argument}: {problem}");
        return path!.Parameters;
    }

    [Fact]
    public void Keywords_are_upper_cased_and_values_kept()
    {
        var p = Parameters("<a@b.example> size=100 Body=8BITMIME SMTPUTF8");
        Assert.Equal(["BODY", "SIZE", "SMTPUTF8"], p.Keys.Order());
        Assert.Equal("100", p["SIZE"]);
        Assert.Equal("8BITMIME", p["BODY"]);
        Assert.Null(p["SMTPUTF8"]);
        Assert.Equal("100", p["size"]); // lookups are case-insensitive as well
    }

    [Fact]
    public void Extra_spaces_between_and_after_parameters_are_tolerated() =>
        Assert.Equal(2, Parameters("<a@b.example>  SIZE=1   BODY=7BIT  ").Count);

    [Fact]
    public void Values_may_hold_any_printable_character_but_equals_and_utf8_is_tolerated()
    {
        Assert.Equal("a+2Bb<c>", Parameters("<a@b.example> ENVID=a+2Bb<c>")["ENVID"]);
        Assert.Equal("é", Parameters("<a@b.example> X-TEST=é")["X-TEST"]);
    }

    [Theory]
    [InlineData("<a@b.example> =1")]
    [InlineData("<a@b.example> -SIZE=1")]
    [InlineData("<a@b.example> SIZE=")]
    [InlineData("<a@b.example> SIZE=1=2")]
    [InlineData("<a@b.example> SI_ZE=1")]
    [InlineData("<a@b.example> SIZE=1 size=2")]
    [InlineData("<a@b.example> SIZE=1\tBODY=7BIT")]
    [InlineData("<a@b.example> SIZE=\u0001")]
    [InlineData("<a@b.example> ÄSIZE=1")]
    [InlineData("<a@b.example> <c@d.example>")]
    public void Malformed_parameters_are_parameter_syntax_problems(string argument)
    {
        Assert.False(PathParser.TryParse(argument, true, out var path, out var problem));
        Assert.Null(path);
        Assert.Equal(PathProblem.ParameterSyntax, problem);
    }

    [Fact]
    public void Parameter_glued_to_the_path_is_a_path_syntax_problem()
    {
        Assert.False(PathParser.TryParse("<a@b.example>SIZE=1", true, out _, out var problem));
        Assert.Equal(PathProblem.Syntax, problem);
    }
}
