using Bulwark.Policy.Content;

namespace Bulwark.Policy.Tests.Content;

public sealed class SpamHeadersTests
{
    private static readonly VirusScan Clean = new(ScanStatus.Done);

    [Fact]
    public void Unmarked_copy_gets_status_no_score_symbols_and_virus_scanned()
    {
        var report = new ScanReport(Clean, new SpamScan(ScanStatus.Done, 1.5, 15, "no action", ["R_SPF_ALLOW", "BAYES_HAM"]));
        var headers = SpamHeaders.For(report, marked: false, spamUnchecked: false);
        Assert.Equal(
            [("X-Virus-Scanned", "ClamAV (clamd)"), ("X-Spam-Status", "No, score=1.50"), ("X-Spam-Score", "1.50"),
             ("X-Spam-Symbols", "R_SPF_ALLOW, BAYES_HAM")],
            headers);
    }

    [Fact]
    public void Marked_copy_gets_the_flag_and_status_yes()
    {
        var report = new ScanReport(Clean, new SpamScan(ScanStatus.Done, 7.256, 15, "add header"));
        var headers = SpamHeaders.For(report, marked: true, spamUnchecked: false);
        Assert.Contains(("X-Spam-Flag", "YES"), headers);
        Assert.Contains(("X-Spam-Status", "Yes, score=7.26"), headers);
        Assert.Contains(("X-Spam-Score", "7.26"), headers);
        Assert.DoesNotContain(headers, h => h.Name == "X-Spam-Symbols");
    }

    [Fact]
    public void Score_uses_invariant_culture()
    {
        var saved = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.Equal("12.50", SpamHeaders.Format(12.5));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = saved;
        }
    }

    [Fact]
    public void No_virus_header_when_clamd_did_not_run()
    {
        var report = new ScanReport(new VirusScan(ScanStatus.NotConfigured), new SpamScan(ScanStatus.Done, 0));
        Assert.DoesNotContain(SpamHeaders.For(report, false, false), h => h.Name == "X-Virus-Scanned");
    }

    [Fact]
    public void No_spam_headers_when_rspamd_is_not_configured()
    {
        var report = new ScanReport(Clean, new SpamScan(ScanStatus.NotConfigured));
        Assert.Equal([("X-Virus-Scanned", "ClamAV (clamd)")], SpamHeaders.For(report, false, false));
    }

    [Fact]
    public void Unchecked_says_so_and_nothing_else_about_spam()
    {
        var report = new ScanReport(Clean, new SpamScan(ScanStatus.Unavailable, Problem: "timeout"));
        var headers = SpamHeaders.For(report, marked: false, spamUnchecked: true);
        Assert.Equal([("X-Virus-Scanned", "ClamAV (clamd)"), ("X-Spam-Status", "Unchecked (spam scanner unavailable)")], headers);
    }

    [Fact]
    public void Symbol_names_cannot_inject_headers_or_break_lines()
    {
        var evil = new[] { "GOOD_ONE", "BAD\r\nBcc: victim@example.org", "X\nY", "TAB\tHERE", "  ", "\r\n", "ÜMLAUT", "SEMI;COLON" };
        var report = new ScanReport(Clean, new SpamScan(ScanStatus.Done, 3, 15, "no action", evil));
        var folded = SpamHeaders.For(report, false, false).Single(h => h.Name == "X-Spam-Symbols").Value;
        // The only line breaks left are our own folds (CRLF + tab after a comma).
        var value = folded.Replace(",\r\n\t", ", ");
        Assert.DoesNotContain('\r', value);
        Assert.DoesNotContain('\n', value);
        Assert.DoesNotContain(' ', value.Replace(", ", ","));
        Assert.Equal("GOOD_ONE, BAD__Bcc:_victim_example.org, X_Y, TAB_HERE, MLAUT, SEMI_COLON", value);
    }

    [Fact]
    public void Symbols_are_capped_in_count_and_length()
    {
        var symbols = Enumerable.Range(0, 500).Select(i => new string('A', 200) + i).ToArray();
        var report = new ScanReport(Clean, new SpamScan(ScanStatus.Done, 3, 15, "no action", symbols));
        var value = SpamHeaders.For(report, false, false).Single(h => h.Name == "X-Spam-Symbols").Value;
        var items = value.Replace(",\r\n\t", ", ").Split(", ");
        Assert.Equal(100, items.Length);
        Assert.All(items, i => Assert.Equal(64, i.Length));
    }

    [Theory]
    [InlineData("Win.Test.EICAR_HDB-1", "Win.Test.EICAR_HDB-1")]
    [InlineData("Evil\r\n250 OK", "Evil__250_OK")]
    [InlineData("  padded  ", "padded")]
    [InlineData("", "")]
    public void SafeToken_keeps_only_safe_characters(string input, string expected) =>
        Assert.Equal(expected, SpamHeaders.SafeToken(input, 80));
}
