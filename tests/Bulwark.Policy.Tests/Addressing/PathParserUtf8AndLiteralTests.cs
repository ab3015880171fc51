using Bulwark.Policy.Addressing;

namespace Bulwark.Policy.Tests.Addressing;

public sealed class PathParserUtf8AndLiteralTests
{
    private static Mailbox Parse(string argument)
    {
        Assert.True(PathParser.TryParse(argument, false, out var path, out var problem), $"{argument}: {problem}");
        return path!.Mailbox!;
    }

    private static void Refused(string argument) =>
        Assert.False(PathParser.TryParse(argument, false, out _, out _), argument);

    [Fact]
    public void Smtputf8_local_parts_and_domains_are_accepted_and_domain_lower_cased()
    {
        Assert.Equal(new Mailbox("用户", "例子.广告"), Parse("<用户@例子.广告>"));
        Assert.Equal(new Mailbox("Jörg", "bücher.de"), Parse("<Jörg@BÜCHER.DE>"));
        Assert.Equal(new Mailbox("a😀b", "x.example"), Parse("<a😀b@x.example>"));
        Assert.Equal(new Mailbox("é è", "x.example"), Parse("<\"é è\"@x.example>"));
    }

    [Theory]
    [InlineData("<a\u0085@x.example>")]       // C1 control (NEL)
    [InlineData("<a\u00a0b@x.example>")]      // no-break space
    [InlineData("<a@x\u2028y.example>")]      // line separator
    [InlineData("<\"a\\é\"@x.example>")]      // quoted-pair is ASCII only
    [InlineData("<a\u007f@x.example>")]       // DEL
    [InlineData("<a\0@x.example>")]
    public void Broken_or_invisible_characters_are_refused(string argument) => Refused(argument);

    [Fact]
    public void Lone_surrogates_are_refused_anywhere()
    {
        // Built here, not in InlineData: test-case serialisation would replace a lone surrogate with U+FFFD.
        foreach (var bad in new[] { "\ud800", "\udc00", "\udc00\ud800" })
        {
            Refused($"<a{bad}@x.example>");
            Refused($"<a{bad}b@x.example>");
            Refused($"<a@x{bad}.example>");
            Refused($"<\"a{bad}\"@x.example>");
            Refused($"<a@x.example> X={bad}");
        }
        Assert.Equal(new Mailbox("a\ud83d\ude00", "x.example"), Parse("<a\ud83d\ude00@x.example>"));
    }

    [Theory]
    [InlineData("<a@[192.0.2.1]>", "[192.0.2.1]")]
    [InlineData("<a@[0.0.0.0]>", "[0.0.0.0]")]
    [InlineData("<a@[IPv6:2001:DB8::1]>", "[IPv6:2001:db8::1]")]
    [InlineData("<a@[ipv6:::]>", "[IPv6:::]")]
    [InlineData("<a@[IPv6:1:2:3:4:5:6:7:8]>", "[IPv6:1:2:3:4:5:6:7:8]")]
    [InlineData("<a@[IPv6:1:2:3:4:5:6:192.0.2.1]>", "[IPv6:1:2:3:4:5:6:192.0.2.1]")]
    [InlineData("<a@[IPv6:::ffff:192.0.2.1]>", "[IPv6:::ffff:192.0.2.1]")]
    [InlineData("<a@[IPv6:1:2:3:4::192.0.2.1]>", "[IPv6:1:2:3:4::192.0.2.1]")]
    public void Address_literals_are_kept_in_brackets(string argument, string domain) =>
        Assert.Equal(domain, Parse(argument).Domain);

    [Theory]
    [InlineData("<a@[192.0.2]>")]
    [InlineData("<a@[192.0.2.256]>")]
    [InlineData("<a@[192.0.2.1.5]>")]
    [InlineData("<a@[192.0.2.0001]>")]
    [InlineData("<a@[192..2.1]>")]
    [InlineData("<a@[2001:db8::1]>")]                    // missing the IPv6: tag
    [InlineData("<a@[x-tag:whatever]>")]                 // unregistered general literal
    [InlineData("<a@[IPv6:1:2:3:4:5:6:7]>")]
    [InlineData("<a@[IPv6:1:2:3:4:5:6::8]>")]           // "::" for one group is not RFC 5321
    [InlineData("<a@[IPv6:1::2::3]>")]
    [InlineData("<a@[IPv6:12345::1]>")]
    [InlineData("<a@[IPv6:1:2:3:4:5::192.0.2.1]>")]     // 5 groups + "::" + IPv4
    [InlineData("<a@[IPv6:192.0.2.1]>")]
    [InlineData("<a@[IPv6:]>")]
    [InlineData("<a@[192.0.2.1>")]
    [InlineData("<a@[192.0.2.1]x>")]
    [InlineData("<a@x[192.0.2.1]>")]
    public void Malformed_address_literals_are_refused(string argument) => Refused(argument);
}
