using Bulwark.Policy.Addressing;

namespace Bulwark.Policy.Tests.Addressing;

/// <summary>
/// Runs every is_email vector, wrapped as "&lt;address&gt;", through the RCPT TO (forward-path) and
/// MAIL FROM (reverse-path) parsers. Category mapping to RFC 5321 envelope syntax:
/// <list type="bullet">
/// <item>ISEMAIL_VALID_CATEGORY, ISEMAIL_RFC5321 (quoted local parts, address literals, numeric and
/// single-label domains): plain RFC 5321 mailboxes, must parse.</item>
/// <item>ISEMAIL_DNSWARN: syntactically valid, the warning is only that a DNS lookup failed. The
/// parser does no DNS, so these must parse too (this includes the 254-octet maximum, vector 38).
/// Nothing is excluded for needing the network.</item>
/// <item>ISEMAIL_ERR: invalid in any grammar, must be refused.</item>
/// <item>ISEMAIL_CFWS, ISEMAIL_DEPREC, ISEMAIL_RFC5322: comments, folding white space, obsolete
/// local parts and quoted-pairs, over-length parts and non-RFC 5321 domain literals are RFC 5322
/// header forms that an SMTP path cannot carry, so they must be refused.</item>
/// </list>
/// No category is excluded; an unknown category fails the test rather than being skipped.
/// </summary>
public sealed class IsEmailCorpusTests
{
    private static readonly HashSet<string> MustParse = ["ISEMAIL_VALID_CATEGORY", "ISEMAIL_RFC5321", "ISEMAIL_DNSWARN"];
    private static readonly HashSet<string> MustRefuse = ["ISEMAIL_ERR", "ISEMAIL_CFWS", "ISEMAIL_DEPREC", "ISEMAIL_RFC5322"];

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        // A missing corpus must fail, not silently run zero cases: emit one row that fails.
        if (IsEmailCorpus.LoadError is { } error) data.Add("missing", "CORPUS_MISSING", error);
        foreach (var v in IsEmailCorpus.Vectors) data.Add(v.Id, v.Category, v.Address);
        return data;
    }

    [Fact]
    public void Corpus_is_present_and_complete()
    {
        Assert.Null(IsEmailCorpus.LoadError);
        Assert.Equal(IsEmailCorpus.ExpectedEntries, IsEmailCorpus.Vectors.Count);
        Assert.All(IsEmailCorpus.Vectors, v => Assert.Contains(v.Category, MustParse.Concat(MustRefuse)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Vector_is_parsed_or_refused_as_its_category_says(string id, string category, string address)
    {
        Assert.True(MustParse.Contains(category) || MustRefuse.Contains(category),
            $"vector {id}: unmapped category {category} ({address})");

        var wrapped = "<" + address + ">";
        var forward = PathParser.TryParse(wrapped, allowNullPath: false, out var path, out var problem);
        var reverse = PathParser.TryParse(wrapped, allowNullPath: true, out var reversePath, out _);

        if (MustParse.Contains(category))
        {
            Assert.True(forward, $"vector {id} ({category}) should parse: {address} -> {problem}");
            Assert.True(reverse, $"vector {id} ({category}) should parse as a reverse-path: {address}");
            Assert.NotNull(path!.Mailbox);
            // The wire form we would emit must parse back to the same mailbox.
            Assert.True(PathParser.TryParse("<" + path.Mailbox.Address + ">", false, out var again, out _));
            Assert.Equal(path.Mailbox, again!.Mailbox);
        }
        else
        {
            Assert.False(forward, $"vector {id} ({category}) should be refused: {address} parsed as {path?.Mailbox}");
            // The one exception: the empty address (vector 1) wraps to "<>", the legal null reverse-path.
            var nullReversePath = address.Length == 0 && reversePath is { IsNullPath: true };
            Assert.False(reverse && !nullReversePath, $"vector {id} ({category}) should be refused as a reverse-path: {address}");
            Assert.Null(path);
            Assert.True(problem is PathProblem.Syntax or PathProblem.TooLong, $"vector {id}: {problem}");
        }
    }
}
