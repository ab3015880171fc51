using Bulwark.Policy.Dns;
using Bulwark.Policy.Spf;

namespace Bulwark.Policy.Tests.Dns;

public sealed class AuthenticationResultsTests
{
    [Theory]
    [InlineData(SpfOutcome.None, "none")]
    [InlineData(SpfOutcome.Neutral, "neutral")]
    [InlineData(SpfOutcome.Pass, "pass")]
    [InlineData(SpfOutcome.Fail, "fail")]
    [InlineData(SpfOutcome.SoftFail, "softfail")]
    [InlineData(SpfOutcome.TempError, "temperror")]
    [InlineData(SpfOutcome.PermError, "permerror")]
    public void Spf_result_keywords(SpfOutcome outcome, string keyword) =>
        Assert.Equal(keyword, AuthenticationResults.SpfName(outcome));

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
}
