using Bulwark.Policy.Dns;
using Bulwark.Policy.Spf;

namespace Bulwark.Policy.Tests.Dns;

public sealed class AuthenticationResultsTests
{
    [Fact]
    public void Spf_and_iprev()
    {
        Assert.Equal("mx.example.test; spf=pass smtp.mailfrom=a@b.test; iprev=pass policy.iprev=192.0.2.7 (mail.b.test)",
            AuthenticationResults.Format("mx.example.test", SpfOutcome.Pass, "a@b.test", "mail.b.test",
                IprevResult.Pass, "192.0.2.7", "mail.b.test"));
    }

    [Theory]
    [InlineData(SpfOutcome.None, "none")]
    [InlineData(SpfOutcome.Neutral, "neutral")]
    [InlineData(SpfOutcome.Fail, "fail")]
    [InlineData(SpfOutcome.SoftFail, "softfail")]
    [InlineData(SpfOutcome.TempError, "temperror")]
    [InlineData(SpfOutcome.PermError, "permerror")]
    public void Spf_result_keywords(SpfOutcome outcome, string keyword)
    {
        Assert.Equal($"mx.test; spf={keyword} smtp.mailfrom=a@b.test",
            AuthenticationResults.Format("mx.test", outcome, "a@b.test", "h.test", null, null));
    }

    [Fact]
    public void Null_sender_names_the_helo_identity()
    {
        Assert.Equal("mx.test; spf=pass smtp.helo=mail.b.test",
            AuthenticationResults.Format("mx.test", SpfOutcome.Pass, "", "mail.b.test", null, null));
    }

    [Fact]
    public void Iprev_fail_and_temperror_carry_no_name_and_ipv6_is_quoted()
    {
        Assert.Equal("mx.test; iprev=fail policy.iprev=192.0.2.66",
            AuthenticationResults.Format("mx.test", null, null, null, IprevResult.Fail, "192.0.2.66", "liar.test"));
        Assert.Equal("mx.test; iprev=temperror policy.iprev=\"2001:db8::1\"",
            AuthenticationResults.Format("mx.test", null, null, null, IprevResult.TempError, "2001:db8::1"));
    }

    [Fact]
    public void Nothing_checked_is_none()
    {
        Assert.Equal("mx.test; none", AuthenticationResults.Format("mx.test", null, null, null, null, null));
    }

    [Fact]
    public void Odd_local_parts_are_quoted()
    {
        Assert.Equal("mx.test; spf=pass smtp.mailfrom=\"a b@c.test\"",
            AuthenticationResults.Format("mx.test", SpfOutcome.Pass, "a b@c.test", null, null, null));
    }

    [Theory]
    [InlineData(" mx.example.test; spf=pass smtp.mailfrom=a@b.test", true)]
    [InlineData("MX.Example.TEST; spf=pass", true)]
    [InlineData("mx.example.test 1; spf=pass", true)]                    // with a version
    [InlineData("mx.example.test.; none", true)]                          // trailing dot
    [InlineData("(forged by someone) mx.example.test; dkim=pass", true)]  // comment before the id
    [InlineData("(nested (comment \\) here)) mx.example.test;none", true)]
    [InlineData("\r\n\tmx.example.test;\r\n\tspf=pass", true)]            // folded
    [InlineData("\"mx.example.test\"; spf=pass", true)]                   // quoted-string id
    [InlineData("mx.example.test(comment); spf=pass", true)]
    [InlineData("other.example.test; spf=pass", false)]
    [InlineData("mx.example.test.evil; spf=pass", false)]
    [InlineData("evil.mx.example.test; spf=pass", false)]
    [InlineData("", false)]
    [InlineData("(only a comment)", false)]
    public void Claims_our_authserv_id(string value, bool claims)
    {
        Assert.Equal(claims, AuthenticationResults.ClaimsAuthServId(value, "mx.example.test"));
    }

    [Fact]
    public void Our_own_header_claims_our_id()
    {
        var mine = AuthenticationResults.Format("mx.example.test", SpfOutcome.Pass, "a@b.test", null, IprevResult.Pass, "192.0.2.7");
        Assert.True(AuthenticationResults.ClaimsAuthServId(mine, "mx.example.test"));
    }
}
