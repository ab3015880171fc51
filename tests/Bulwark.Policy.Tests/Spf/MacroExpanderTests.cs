using System.Net;
using Bulwark.Policy.Spf;

namespace Bulwark.Policy.Tests.Spf;

/// <summary>RFC 7208 section 7 macros, mostly the worked examples of section 7.4.</summary>
public sealed class MacroExpanderTests
{
    private static readonly MacroContext Rfc = new(
        "strong-bad@email.example.com", "strong-bad", "email.example.com", "email.example.com",
        IPAddress.Parse("192.0.2.3"), "mx.example.org", "mx.receiver.example", 1_700_000_000);

    private static string Expand(string text, MacroContext? ctx = null, MacroScope scope = MacroScope.DomainSpec)
    {
        Assert.True(MacroExpander.TryExpand(text, ctx ?? Rfc, scope, out var result, out var problem), problem);
        return result;
    }

    [Theory]
    [InlineData("%{s}", "strong-bad@email.example.com")]
    [InlineData("%{o}", "email.example.com")]
    [InlineData("%{d}", "email.example.com")]
    [InlineData("%{d4}", "email.example.com")]
    [InlineData("%{d3}", "email.example.com")]
    [InlineData("%{d2}", "example.com")]
    [InlineData("%{d1}", "com")]
    [InlineData("%{dr}", "com.example.email")]
    [InlineData("%{d2r}", "example.email")]
    [InlineData("%{l}", "strong-bad")]
    [InlineData("%{l-}", "strong.bad")]
    [InlineData("%{lr}", "strong-bad")]
    [InlineData("%{lr-}", "bad.strong")]
    [InlineData("%{l1r-}", "strong")]
    [InlineData("%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com")]
    [InlineData("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "bad.strong.lp.3.2.0.192.in-addr._spf.example.com")]
    [InlineData("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com")]
    [InlineData("%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net")]
    public void Rfc7208_section_7_4_examples(string macro, string expected) => Assert.Equal(expected, Expand(macro));

    [Fact]
    public void Ipv6_client_expands_to_nibbles_and_ip6()
    {
        var v6 = Rfc with { Ip = IPAddress.Parse("2001:db8::cb01") };
        // The RFC writes the nibbles in lower case, the conformance suite in upper case; DNS ignores case.
        Assert.Equal("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com",
            Expand("%{ir}.%{v}._spf.%{d2}", v6), ignoreCase: true);
        Assert.Equal("2001:db8::cb01", Expand("%{c}", v6, MacroScope.Explanation));
    }

    [Fact]
    public void Escapes_expand_to_percent_space_and_encoded_space() =>
        Assert.Equal("a%b c%20d", Expand("a%%b%_c%-d"));

    [Fact]
    public void Upper_case_letter_url_escapes_all_but_unreserved()
    {
        var ctx = Rfc with { LocalPart = "~jack&jill=up-a_b3.c" };
        Assert.Equal("~jack%26jill%3Dup-a_b3.c", Expand("%{L}", ctx));
        Assert.Equal("~jack&jill=up-a_b3.c", Expand("%{l}", ctx));
    }

    [Fact]
    public void Multiple_delimiters_split_on_each()
    {
        var ctx = Rfc with { LocalPart = "foo-bar+zip+quux" };
        Assert.Equal("bar.foo", Expand("%{l2r+-}", ctx));
    }

    [Fact]
    public void Explanation_letters_c_r_t_and_spaces_are_allowed_only_in_explanations()
    {
        Assert.Equal("from 192.0.2.3 at mx.receiver.example t=1700000000",
            Expand("from %{c} at %{r} t=%{t}", scope: MacroScope.Explanation));
        Assert.NotNull(MacroExpander.Validate("%{c}.example.com", MacroScope.DomainSpec));
        Assert.NotNull(MacroExpander.Validate("%{r}.example.com", MacroScope.DomainSpec));
        Assert.NotNull(MacroExpander.Validate("%{t}.example.com", MacroScope.DomainSpec));
        Assert.NotNull(MacroExpander.Validate("a b.example.com", MacroScope.DomainSpec));
    }

    [Theory]
    [InlineData("%{x}")]        // unknown letter
    [InlineData("%{d0}")]       // a digit transformer must be nonzero
    [InlineData("%(ir)")]       // wrong brackets
    [InlineData("foo%.bar")]    // lone percent
    [InlineData("trailing%")]
    [InlineData("%{d")]         // unterminated
    [InlineData("%{}")]
    [InlineData("%{d2r!}")]     // '!' is not a delimiter
    [InlineData("caf\u00e9.example.com")] // 7-bit only
    [InlineData("a\rb.example.com")]
    public void Invalid_macro_strings_are_refused(string text)
    {
        Assert.NotNull(MacroExpander.Validate(text, MacroScope.Explanation));
        Assert.False(MacroExpander.TryExpand(text, Rfc, MacroScope.Explanation, out _, out _));
    }

    [Fact]
    public void Validated_name_and_helo_come_from_the_context()
    {
        Assert.Equal("unknown.mx.example.org", Expand("%{p}.%{h}"));
        Assert.True(MacroExpander.UsesValidatedName("x.%{P2}.example.com"));
        Assert.False(MacroExpander.UsesValidatedName("%%{p}.example.com"));
    }

    [Fact]
    public void Oversized_digit_transformer_keeps_every_part() =>
        Assert.Equal("email.example.com", Expand("%{d99999999}"));
}
