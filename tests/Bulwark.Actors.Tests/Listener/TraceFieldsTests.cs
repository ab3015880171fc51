using System.Net;
using System.Text;
using Bulwark.Listener.Sessions;
using Bulwark.Policy.Content;
using IprevResult = Bulwark.Policy.Dns.IprevResult;
using Bulwark.Policy.Spf;
using MimeKit;
using MimeKit.Cryptography;

namespace Bulwark.Actors.Tests.Listener;

/// <summary>The fields added to accepted mail, read back the way the next hop reads them: with
/// MimeKit's parser, unfolded.</summary>
public sealed class TraceFieldsTests
{
    private static AuthenticationResults Parsed(AuthenticationResults built)
    {
        var wire = Encoding.UTF8.GetString(TraceFields.Encode([TraceFields.AuthenticationResultsField(built)]));
        Assert.StartsWith("Authentication-Results: ", wire);
        Assert.EndsWith("\r\n", wire);
        Assert.True(AuthenticationResults.TryParse(Encoding.UTF8.GetBytes(wire["Authentication-Results:".Length..]), out var parsed), wire);
        return parsed;
    }

    private static string Property(AuthenticationMethodResult result, string name) =>
        result.Properties.Single(p => $"{p.PropertyType}.{p.Property}" == name).Value;

    [Fact]
    public void Spf_and_iprev()
    {
        var parsed = Parsed(TraceFields.AuthenticationResults("mx.example.test", SpfOutcome.Pass, "a@b.test", "mail.b.test",
            IprevResult.Pass, "192.0.2.7", "mail.b.test"));

        Assert.Equal("mx.example.test", parsed.AuthenticationServiceIdentifier);
        var spf = parsed.Results[0];
        Assert.Equal(("spf", "pass", "a@b.test"), (spf.Method, spf.Result, Property(spf, "smtp.mailfrom")));
        var iprev = parsed.Results[1];
        Assert.Equal(("iprev", "pass", "192.0.2.7", "mail.b.test"), (iprev.Method, iprev.Result, Property(iprev, "policy.iprev"), iprev.ResultComment));
    }

    [Fact]
    public void Mimekit_writes_the_field_in_its_canonical_form() =>
        Assert.Equal("mx.example.test; spf=pass smtp.mailfrom=\"a@b.test\"; iprev=pass (mail.b.test) policy.iprev=192.0.2.7",
            TraceFields.AuthenticationResults("mx.example.test", SpfOutcome.Pass, "a@b.test", "mail.b.test", IprevResult.Pass, "192.0.2.7", "mail.b.test").ToString());

    [Theory]
    [InlineData(SpfOutcome.None, "none")]
    [InlineData(SpfOutcome.Neutral, "neutral")]
    [InlineData(SpfOutcome.Fail, "fail")]
    [InlineData(SpfOutcome.SoftFail, "softfail")]
    [InlineData(SpfOutcome.TempError, "temperror")]
    [InlineData(SpfOutcome.PermError, "permerror")]
    public void Spf_result_keywords(SpfOutcome outcome, string keyword)
    {
        var spf = Assert.Single(Parsed(TraceFields.AuthenticationResults("mx.test", outcome, "a@b.test", "h.test", null, null)).Results);
        Assert.Equal(("spf", keyword, "a@b.test"), (spf.Method, spf.Result, Property(spf, "smtp.mailfrom")));
    }

    [Fact]
    public void Null_sender_names_the_helo_identity()
    {
        var spf = Assert.Single(Parsed(TraceFields.AuthenticationResults("mx.test", SpfOutcome.Pass, "", "mail.b.test", null, null)).Results);
        Assert.Equal("mail.b.test", Property(spf, "smtp.helo"));
        Assert.DoesNotContain(spf.Properties, p => p.Property == "mailfrom");
    }

    [Fact]
    public void Iprev_fail_and_temperror_carry_no_name_and_ipv6_is_quoted()
    {
        var fail = Assert.Single(Parsed(TraceFields.AuthenticationResults("mx.test", null, null, null, IprevResult.Fail, "192.0.2.66", "liar.test")).Results);
        Assert.Equal(("fail", "192.0.2.66", null), (fail.Result, Property(fail, "policy.iprev"), fail.ResultComment));
        var temp = TraceFields.AuthenticationResults("mx.test", null, null, null, IprevResult.TempError, "2001:db8::1");
        Assert.Equal("mx.test; iprev=temperror policy.iprev=\"2001:db8::1\"", temp.ToString());
        Assert.Equal("2001:db8::1", Property(Assert.Single(Parsed(temp).Results), "policy.iprev"));
    }

    [Fact]
    public void Nothing_checked_is_none() =>
        Assert.Equal("mx.test; none", TraceFields.AuthenticationResults("mx.test", null, null, null, null, null).ToString());

    [Fact]
    public void Odd_local_parts_are_quoted()
    {
        var built = TraceFields.AuthenticationResults("mx.test", SpfOutcome.Pass, "a b@c.test", null, null, null);
        Assert.Contains("smtp.mailfrom=\"a b@c.test\"", built.ToString());
        Assert.Equal("a b@c.test", Property(Parsed(built).Results[0], "smtp.mailfrom"));
    }

    [Fact]
    public void Our_own_field_is_recognised_as_ours_by_the_forgery_filter()
    {
        var field = TraceFields.AuthenticationResults("mx.example.test", SpfOutcome.Pass, "a@b.test", null, IprevResult.Pass, "192.0.2.7", "x.test");
        Assert.True(Bulwark.Policy.Dns.AuthenticationResults.ClaimsAuthServId(field.ToString(), "mx.example.test"));
    }

    [Fact]
    public void Received_gives_each_clause_its_own_line()
    {
        var at = new DateTimeOffset(2026, 12, 4, 1, 36, 47, TimeSpan.Zero);
        var wire = Encoding.UTF8.GetString(TraceFields.Received("client.test", IPAddress.Parse("192.0.2.7"),
            "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384", "mx.example.test", "01M8D50YCGJ77BZM0X", "alice@example.test", at));

        Assert.Equal("Received: from client.test ([192.0.2.7])\r\n\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)\r\n" +
            "\tby mx.example.test (Bulwark) with ESMTPS id 01M8D50YCGJ77BZM0X\r\n\tfor <alice@example.test>;\r\n\tFri, 04 Dec 2026 01:36:47 +0000\r\n", wire);
    }

    [Fact]
    public void Long_symbol_lists_are_folded_with_crlf_tab_within_78_columns()
    {
        var symbols = Enumerable.Range(0, 40).Select(i => $"SYMBOL_NUMBER_{i}(1.25)").ToArray();
        var report = new ScanReport(new VirusScan(ScanStatus.Done), new SpamScan(ScanStatus.Done, 3, 15, "no action", symbols));
        var (name, value) = SpamHeaders.For(report, false, false).Single(h => h.Name == "X-Spam-Symbols");
        var wire = Encoding.UTF8.GetString(TraceFields.Encode([TraceFields.Field(name, value)]));
        var lines = wire.Split("\r\n")[..^1];
        Assert.True(lines.Length > 5);
        Assert.All(lines, l => Assert.True(l.Length <= 78, $"{l.Length}: {l}"));
        Assert.All(lines.Skip(1), l => Assert.True(l.StartsWith('\t') || l.StartsWith(' '), l));
        // Unfolding gives back the list.
        Assert.Equal("X-Spam-Symbols: " + string.Join(", ", symbols), string.Join("", lines.Select((l, i) => i == 0 ? l : " " + l.TrimStart())));
    }
}
