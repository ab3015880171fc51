using Bulwark.Policy.Dkim;

namespace Bulwark.Policy.Tests.Dkim;

/// <summary>What a signature field and a key record must say before anything is hashed (RFC 6376 sections 3.5, 3.6.1, 6.1.1).</summary>
public sealed class DkimSpecAndKeyTests
{
    private const string Good = "v=1; a=rsa-sha256; c=relaxed/simple; d=Signer.test; s=sel; h=From : To; bh=AAAA; b=AA\r\n AA; l=10; i=@mail.signer.test; t=100; x=200";

    [Fact]
    public void A_good_field_gives_everything_the_check_needs()
    {
        var (spec, error) = DkimSignatureSpec.Parse(Good);
        Assert.Null(error);
        Assert.Equal(("rsa-sha256", "signer.test", "sel", true, false), (spec!.Algorithm, spec.Domain, spec.Selector, spec.RelaxedHeaders, spec.RelaxedBody));
        Assert.Equal(["from", "to"], spec.SignedFields);
        Assert.Equal((10L, 200L, "mail.signer.test"), (spec.BodyLength!.Value, spec.Expires!.Value, spec.IdentityDomain));
        Assert.Equal(3, spec.Signature.Length);
    }

    [Theory]
    [InlineData("v=2; a=rsa-sha256; d=a.test; s=s; h=from; bh=AAAA; b=AAAA", "v=")]
    [InlineData("v=1; a=rsa-sha1; d=a.test; s=s; h=from; bh=AAAA; b=AAAA", "rsa-sha1")]
    [InlineData("v=1; a=rsa-md5; d=a.test; s=s; h=from; bh=AAAA; b=AAAA", "unsupported")]
    [InlineData("v=1; a=rsa-sha256; d=a.test; s=s; h=to:subject; bh=AAAA; b=AAAA", "From")]
    [InlineData("v=1; a=rsa-sha256; d=a.test; s=s; h=from; bh=AAAA", "b=")]
    [InlineData("v=1; a=rsa-sha256; d=a.test; s=s; h=from; bh=AAAA; b=AAAA; i=@other.test", "i=")]
    [InlineData("v=1; a=rsa-sha256; d=a.test; s=s; h=from; bh=AAAA; b=AAAA; l=-1", "l=")]
    [InlineData("v=1; a=rsa-sha256; d=a.test; s=s; h=from; bh=AAAA; b=AAAA; c=fancy", "canonicalization")]
    [InlineData("v=1; a=rsa-sha256; d=a.test; s=s; h=from; bh=AAAA; b=AAAA; t=300; x=200", "x=")]
    [InlineData("v=1; a=rsa-sha256; d=a.test; s=s; h=from; bh=AAAA; b=AAAA; q=http/well-known", "q=")]
    [InlineData("v=1; a=rsa-sha256; d=a.test; s=s; h=from; bh=@@; b=AAAA", "bh=")]
    public void A_field_that_can_never_verify_says_why(string value, string reason)
    {
        var (spec, error) = DkimSignatureSpec.Parse(value);
        Assert.Null(spec);
        Assert.Contains(reason, error);
    }

    [Fact]
    public void A_key_record_with_its_restrictions()
    {
        var (key, error) = DkimKeyRecord.Parse("v=DKIM1; k=ed25519; h=sha256; t=y:s; s=email; p=AAEC");
        Assert.Null(error);
        Assert.Equal(("ed25519", true), (key!.KeyType, key.Strict));
        Assert.Equal([0, 1, 2], key.PublicKey);

        var (rsa, _) = DkimSignatureSpec.Parse("v=1; a=rsa-sha256; d=a.test; s=s; h=from; bh=AAAA; b=AAAA");
        Assert.Contains("cannot verify", key.RefusesToVerify(rsa!));
        var (sub, _) = DkimSignatureSpec.Parse("v=1; a=ed25519-sha256; d=a.test; s=s; h=from; bh=AAAA; b=AAAA; i=@sub.a.test");
        Assert.Contains("t=s", key.RefusesToVerify(sub!));
    }

    [Theory]
    [InlineData("v=DKIM1; k=rsa; p=", "revoked")]
    [InlineData("v=DKIM2; p=AAAA", "DKIM1")]
    [InlineData("k=dsa; p=AAAA", "key type")]
    [InlineData("s=tlsrpt; p=AAAA", "email")]
    [InlineData("k=rsa", "p=")]
    public void A_key_record_that_no_signature_can_use_says_why(string record, string reason) =>
        Assert.Contains(reason, DkimKeyRecord.Parse(record).Error);

    [Fact]
    public void A_key_that_allows_only_sha1_refuses_sha256()
    {
        var (key, _) = DkimKeyRecord.Parse("h=sha1; p=AAAA");
        var (spec, _) = DkimSignatureSpec.Parse("v=1; a=rsa-sha256; d=a.test; s=s; h=from; bh=AAAA; b=AAAA");
        Assert.Contains("h=", key!.RefusesToVerify(spec!));
    }
}
