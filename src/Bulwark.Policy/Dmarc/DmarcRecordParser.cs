using System.Diagnostics.CodeAnalysis;

namespace Bulwark.Policy.Dmarc;

/// <summary>
/// Reads one DMARC TXT record (RFC 7489 sections 6.3 and 6.4). The caller passes the record's
/// character-strings joined without separator, as DNS TXT records are read.
/// </summary>
/// <remarks>
/// What is strict and what is lenient, and why:
/// <list type="bullet">
/// <item>"v=DMARC1" must be the first tag, "DMARC1" in exactly that case ("MUST match precisely");
/// otherwise the text is not a DMARC record at all.</item>
/// <item>Tag names and keyword values ("p=Reject", "ADKIM=S") are read case-insensitively, as the
/// ABNF's quoted strings are; white space around ';' and '=' is allowed, and so are empty
/// tags (";;", a trailing ';').</item>
/// <item>A p= that is missing or not none/quarantine/reject, or an sp= that is present but not
/// one of them: with at least one valid rua= URI the record counts as p=none (and no sp=),
/// section 6.6.3 step 6; without one it is not a usable record.</item>
/// <item>A known tag given twice makes the record invalid: DMARC uses the DKIM tag-list syntax,
/// and RFC 6376 section 3.2 says a duplicate tag invalidates the whole list.</item>
/// <item>Any other error (a pct= outside 0..100 or not a number, an adkim= that is not r or s,
/// an unusable fo=, rf=, ri= or report URI, a part without '=') is replaced by the default or
/// ignored, as section 6.3 says ("syntax errors in the remainder of the record SHOULD be discarded
/// in favor of default values"), and named in <see cref="DmarcRecord.Problem"/>. So pct=150 and
/// pct=-5 both mean 100.</item>
/// <item>Unknown tags are ignored (section 6.3).</item>
/// </list>
/// </remarks>
public static partial class DmarcRecordParser
{
    private const string Version = "DMARC1";

    /// <summary>Does this TXT record start with the tag v=DMARC1? This is what section 6.6.3
    /// counts when it asks whether a name has exactly one DMARC record.</summary>
    public static bool IsDmarcRecord([NotNullWhen(true)] string? text)
    {
        if (text is null) return false;
        var span = text.AsSpan().Trim(Wsp);
        var semi = span.IndexOf(';');
        var first = semi < 0 ? span : span[..semi];
        return TrySplitTag(first, out var name, out var value)
            && name.Equals("v", StringComparison.OrdinalIgnoreCase)
            && value.SequenceEqual(Version);
    }

    /// <summary>
    /// Reads <paramref name="text"/>. True with the record when it is a usable DMARC policy
    /// (possibly repaired to p=none, see the remarks); false with the reason otherwise.
    /// </summary>
    public static bool TryParse(string? text, out DmarcRecord record, out string problem)
    {
        record = null!;
        if (!IsDmarcRecord(text)) return Fail("not a DMARC record: the first tag is not v=DMARC1", out problem);
        var tags = new TagValues();
        List<string>? notes = null;
        var first = true;
        var body = text.AsSpan().Trim(Wsp);
        foreach (var range in body.Split(';'))
        {
            var part = body[range].Trim(Wsp);
            if (first)
            {
                first = false; // v=DMARC1, checked above
                continue;
            }
            if (part.IsEmpty) continue;
            if (!TrySplitTag(part, out var name, out var value))
            {
                Note(ref notes, $"ignored '{DmarcText.Printable(part)}': not a tag=value");
                continue;
            }
            if (!tags.Read(name, value, ref notes, out problem)) return false;
        }
        return tags.TryBuild(notes, out record, out problem);
    }

    /// <summary>tag-spec = tag-name *WSP "=" *WSP tag-value, with tag-name = ALPHA *(ALPHA / DIGIT / "_").</summary>
    private static bool TrySplitTag(ReadOnlySpan<char> part, out ReadOnlySpan<char> name, out ReadOnlySpan<char> value)
    {
        value = default;
        var eq = part.IndexOf('=');
        name = eq < 0 ? default : part[..eq].TrimEnd(Wsp);
        if (name.IsEmpty || !char.IsAsciiLetter(name[0])) return false;
        foreach (var ch in name)
            if (!(char.IsAsciiLetterOrDigit(ch) || ch == '_')) return false;
        value = part[(eq + 1)..].Trim(Wsp);
        return true;
    }

    private static ReadOnlySpan<char> Wsp => " \t";

    private static void Note(ref List<string>? notes, string note) => (notes ??= []).Add(note);

    private static bool Fail(string why, out string problem)
    {
        problem = why;
        return false;
    }
}
