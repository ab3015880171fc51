using System.Security.Cryptography;
using System.Text;
using Bulwark.Policy.Dkim;

namespace Bulwark.Policy.Tests.Dkim;

/// <summary>The signed forms of RFC 6376 section 3.4, on its own example (section 3.4.5) and on the edges around it.</summary>
public sealed class DkimCanonicalizationTests
{
    private const string ExampleHeader = "A: X\r\nB : Y\t\r\n\tZ  \r\n";
    private const string ExampleBody = " C \r\nD \t E\r\n\r\n\r\n";

    private static byte[] Sha256(string text) => SHA256.HashData(Encoding.ASCII.GetBytes(text));

    private static (byte[] Hash, long Length) Body(string body, bool relaxed, long? length = null, int pieceSize = int.MaxValue)
    {
        using var hasher = new DkimBodyHasher(relaxed, length);
        var bytes = Encoding.ASCII.GetBytes(body);
        for (var i = 0; i < bytes.Length; i += pieceSize) hasher.Append(bytes.AsSpan(i, Math.Min(pieceSize, bytes.Length - i)));
        return (hasher.Finish(), hasher.CanonicalLength);
    }

    [Fact]
    public void The_rfc_example_body_in_both_forms()
    {
        Assert.Equal(Sha256(" C\r\nD E\r\n"), Body(ExampleBody, true).Hash);
        Assert.Equal(Sha256(" C \r\nD \t E\r\n"), Body(ExampleBody, false).Hash);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_body_read_in_pieces_of_any_size_hashes_the_same(int pieceSize)
    {
        Assert.Equal(Body(ExampleBody, true).Hash, Body(ExampleBody, true, pieceSize: pieceSize).Hash);
        Assert.Equal(Body(ExampleBody, false).Hash, Body(ExampleBody, false, pieceSize: pieceSize).Hash);
    }

    [Fact]
    public void An_empty_body_is_one_line_end_in_simple_and_nothing_in_relaxed()
    {
        Assert.Equal(Sha256("\r\n"), Body("", false).Hash);
        Assert.Equal(Sha256("\r\n"), Body("\r\n\r\n", false).Hash);
        Assert.Equal(Sha256(""), Body("", true).Hash);
        Assert.Equal(Sha256(""), Body(" \t\r\n\r\n", true).Hash);
    }

    [Fact]
    public void A_last_line_without_its_line_end_gets_one()
    {
        Assert.Equal(Sha256("abc\r\n"), Body("abc", false).Hash);
        Assert.Equal(Sha256("a b\r\n"), Body("a \t b  ", true).Hash);
    }

    [Fact]
    public void A_bare_cr_is_content_not_a_line_end() => Assert.Equal(Sha256("a\rb\r\n"), Body("a\rb\r\n", false).Hash);

    [Fact]
    public void With_l_only_that_many_canonical_bytes_are_hashed_and_the_whole_length_is_told()
    {
        var (hash, length) = Body("Hello there.\r\nAppended.\r\n", false, length: 14);
        Assert.Equal(Sha256("Hello there.\r\n"), hash);
        Assert.Equal(25, length);
    }

    [Fact]
    public void The_rfc_example_header_in_both_forms()
    {
        var signature = "DKIM-Signature: v=1; a=rsa-sha256; b=abc\r\n def; h=a:b\r\n";
        var block = RawHeaderBlock.Parse(Encoding.ASCII.GetBytes(ExampleHeader + signature));
        var (index, _) = Assert.Single(block.ValuesOf("dkim-signature"));

        Assert.Equal("a:X\r\nb:Y Z\r\ndkim-signature:v=1; a=rsa-sha256; b=; h=a:b",
            Encoding.ASCII.GetString(block.SignedData(["a", "b"], index, relaxed: true)));
        Assert.Equal(ExampleHeader + "DKIM-Signature: v=1; a=rsa-sha256; b=; h=a:b",
            Encoding.ASCII.GetString(block.SignedData(["a", "b"], index, relaxed: false)));
    }

    [Fact]
    public void A_name_listed_twice_signs_the_last_two_instances_bottom_up_and_a_missing_one_signs_nothing()
    {
        var block = RawHeaderBlock.Parse(Encoding.ASCII.GetBytes("Received: one\r\nReceived: two\r\nReceived: three\r\nDKIM-Signature: b=x\r\n"));
        var (index, _) = Assert.Single(block.ValuesOf("dkim-signature"));

        Assert.Equal("received:three\r\nreceived:two\r\ndkim-signature:b=",
            Encoding.ASCII.GetString(block.SignedData(["received", "received", "subject"], index, relaxed: true)));
    }

    [Theory]
    [InlineData(" v=1; bh=AAA=; b=abc;\r\n", " v=1; bh=AAA=; b=;\r\n")]
    [InlineData(" v=1; b = ab\r\n c ; bh=AAA=\r\n", " v=1; b =; bh=AAA=\r\n")]
    [InlineData(" v=1; bh=AAA=; b=abc\r\n", " v=1; bh=AAA=; b=\r\n")]
    public void Only_the_value_of_b_is_emptied_never_bh(string value, string expected) =>
        Assert.Equal(expected, Encoding.ASCII.GetString(RawHeaderBlock.WithEmptySignatureValue(Encoding.ASCII.GetBytes(value))));

    [Fact]
    public void A_line_that_is_no_field_belongs_to_none()
    {
        var block = RawHeaderBlock.Parse(Encoding.ASCII.GetBytes("Subject: a\r\nnot a field\r\n continued\r\nTo: b\r\n"));
        Assert.Equal(["a\r\n"], block.ValuesOf("subject").Select(v => v.Value.TrimStart()));
        Assert.Equal([" b\r\n"], block.ValuesOf("to").Select(v => v.Value));
    }
}
