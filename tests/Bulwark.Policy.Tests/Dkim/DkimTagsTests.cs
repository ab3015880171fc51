using Bulwark.Policy.Dkim;

namespace Bulwark.Policy.Tests.Dkim;

public sealed class DkimTagsTests
{
    [Fact]
    public void A_folded_signature_field_gives_its_tags()
    {
        var tags = DkimTags.Parse(" v=1; a=rsa-sha256; c=relaxed/simple; d=Signer.TEST;\r\n i=@signer.test; s=sel1;\r\n\th=from : to; l=120;\r\n b=abc\r\n def;")!;

        Assert.Equal("rsa-sha256", tags["a"]);
        Assert.Equal("Signer.TEST", tags["d"]);
        Assert.Equal("sel1", tags["s"]);
        Assert.Equal("120", tags["l"]);
        Assert.Equal("abc def", tags["b"]);
    }

    [Theory]
    [InlineData("v=1; d=a.test; d=b.test")]
    [InlineData("v=1; novalue; d=a.test")]
    [InlineData("=x")]
    [InlineData("v=1; bad name=x")]
    public void A_malformed_list_is_refused(string value) => Assert.Null(DkimTags.Parse(value));

    [Theory]
    [InlineData("v=DKIM1; k=rsa; p=", true)]
    [InlineData("v=DKIM1; p= ; k=rsa", true)]
    [InlineData("v=DKIM1; k=rsa; p=MIIB", false)]
    [InlineData("v=DKIM1; k=rsa", false)]
    public void An_empty_p_tag_is_a_revoked_key(string record, bool revoked) => Assert.Equal(revoked, DkimTags.IsRevokedKey(record));
}
