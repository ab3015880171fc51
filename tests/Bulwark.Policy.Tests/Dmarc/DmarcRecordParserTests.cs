using Bulwark.Policy.Dmarc;

namespace Bulwark.Policy.Tests.Dmarc;

public class DmarcRecordParserTests
{
    [Fact]
    public void Full_record_is_read_tag_by_tag()
    {
        Assert.True(DmarcRecordParser.TryParse(
            "v=DMARC1; p=reject; sp=quarantine; adkim=s; aspf=s; pct=25; rua=mailto:agg@example.com; ruf=mailto:f@example.com; fo=1; ri=3600",
            out var record, out var problem), problem);
        Assert.Equal(DmarcPolicy.Reject, record.Policy);
        Assert.Equal(DmarcPolicy.Quarantine, record.SubdomainPolicy);
        Assert.Equal(DmarcAlignmentMode.Strict, record.DkimAlignment);
        Assert.Equal(DmarcAlignmentMode.Strict, record.SpfAlignment);
        Assert.Equal(25, record.Percent);
        Assert.Equal(["mailto:agg@example.com"], record.AggregateReportUris);
        Assert.Equal(3600, record.ReportInterval);
    }

    [Fact]
    public void Absent_tags_take_the_rfc_defaults()
    {
        Assert.True(DmarcRecordParser.TryParse("v=DMARC1; p=none", out var record, out _));
        Assert.Null(record.SubdomainPolicy);
        Assert.Equal(DmarcPolicy.None, record.EffectiveSubdomainPolicy);
        Assert.Equal(DmarcAlignmentMode.Relaxed, record.DkimAlignment);
        Assert.Equal(100, record.Percent);
    }

    [Theory]
    [InlineData("v=DMARC1")]              // no p=
    [InlineData("p=reject; v=DMARC1")]    // v= must come first
    [InlineData("v=spf1 -all")]
    [InlineData("")]
    public void Records_that_are_not_dmarc_policies_are_refused(string text) =>
        Assert.False(DmarcRecordParser.TryParse(text, out _, out _));

    [Fact]
    public void An_unknown_p_value_is_a_problem_not_a_policy() =>
        Assert.False(DmarcRecordParser.TryParse("v=DMARC1; p=bounce", out _, out _));

    [Fact]
    public void An_unknown_p_value_with_a_report_address_counts_as_p_none()
    {
        Assert.True(DmarcRecordParser.TryParse("v=DMARC1; p=bounce; rua=mailto:agg@example.com", out var record, out _));
        Assert.Equal(DmarcPolicy.None, record.Policy);
    }

    [Fact]
    public void A_doubled_tag_invalidates_the_record() =>
        Assert.False(DmarcRecordParser.TryParse("v=DMARC1; p=none; p=reject", out _, out _));

    [Fact]
    public void Keywords_are_read_in_any_case() =>
        Assert.Equal(DmarcPolicy.Reject, DmarcRecordParser.TryParse("v=DMARC1; P=Reject", out var r, out _) ? r.Policy : DmarcPolicy.None);

    [Fact]
    public void Out_of_range_pct_keeps_the_default_and_says_so()
    {
        Assert.True(DmarcRecordParser.TryParse("v=DMARC1; p=reject; pct=250", out var record, out _));
        Assert.Equal(100, record.Percent);
        Assert.NotNull(record.Problem);
    }

    [Fact]
    public void Selection_with_two_dmarc_records_gives_no_policy()
    {
        var selection = DmarcSelection.Choose(["v=DMARC1; p=reject", "v=DMARC1; p=none"]);
        Assert.Equal(DmarcSelectionKind.Several, selection.Kind);
        Assert.Null(selection.Record);
    }

    [Fact]
    public void Selection_ignores_txt_records_that_are_not_dmarc()
    {
        var selection = DmarcSelection.Choose(["google-site-verification=abc", "v=DMARC1; p=quarantine"]);
        Assert.Equal(DmarcPolicy.Quarantine, selection.Record?.Policy);
    }
}
