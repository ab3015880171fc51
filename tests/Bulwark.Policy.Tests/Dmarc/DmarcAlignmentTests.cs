using Bulwark.Policy.Dmarc;

namespace Bulwark.Policy.Tests.Dmarc;

public class DmarcAlignmentTests
{
    [Theory]
    [InlineData("example.com", "example.com", DmarcAlignmentMode.Strict, true)]
    [InlineData("example.com", "EXAMPLE.com", DmarcAlignmentMode.Strict, true)]
    [InlineData("example.com", "mail.example.com", DmarcAlignmentMode.Strict, false)]
    [InlineData("example.com", "mail.example.com", DmarcAlignmentMode.Relaxed, true)]
    [InlineData("news.example.co.uk", "bounce.example.co.uk", DmarcAlignmentMode.Relaxed, true)]
    [InlineData("a.example.co.uk", "other.co.uk", DmarcAlignmentMode.Relaxed, false)]
    // Relaxed alignment never reaches across a public suffix: co.uk is no one's organization.
    [InlineData("example.co.uk", "co.uk", DmarcAlignmentMode.Relaxed, false)]
    [InlineData("example.com", "example.org", DmarcAlignmentMode.Relaxed, false)]
    [InlineData("example.com", null, DmarcAlignmentMode.Relaxed, false)]
    public void Alignment_follows_the_mode(string from, string? authenticated, DmarcAlignmentMode mode, bool aligned) =>
        Assert.Equal(aligned, DmarcAlignment.IsAligned(from, authenticated, mode, DmarcTestData.Psl));
}
