namespace Bulwark.Policy.Dkim;

/// <summary>
/// The tag=value list of a DKIM-Signature field or key record (RFC 6376 section 3.2): tags
/// separated by ';', folding white space around names and values ignored, a tag given twice
/// makes the list invalid. Only what the verdict reports is read here (d, s, a, l); MimeKit
/// does the verification itself.
/// </summary>
public static class DkimTags
{
    /// <summary>The tags, names lower-cased; null when the list is malformed.</summary>
    public static IReadOnlyDictionary<string, string>? Parse(string value)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in value.Split(';'))
        {
            var spec = Unfold(part);
            if (spec.Length == 0) continue;
            var eq = spec.IndexOf('=');
            if (eq <= 0) return null;
            var name = spec[..eq].Trim().ToLowerInvariant();
            if (name.Length == 0 || name.AsSpan().ContainsAnyExcept(TagNameChars)) return null;
            if (!tags.TryAdd(name, Unfold(spec[(eq + 1)..]))) return null;
        }
        return tags;
    }

    /// <summary>A key record's p= is empty: the key was revoked (RFC 6376 section 3.6.1).</summary>
    public static bool IsRevokedKey(string keyRecord) =>
        Parse(keyRecord) is { } tags && tags.TryGetValue("p", out var p) && p.Length == 0;

    private static readonly System.Buffers.SearchValues<char> TagNameChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789_");

    /// <summary>Line ends out, white space at either end trimmed: every signature's tags pass
    /// through here, so the common case (nothing folded) allocates only the result.</summary>
    private static string Unfold(string text)
    {
        var trimmed = text.AsSpan().Trim(" \t\r\n");
        if (trimmed.IndexOfAny('\r', '\n') < 0) return trimmed.Length == text.Length ? text : trimmed.ToString();
        var kept = new System.Text.StringBuilder(trimmed.Length);
        foreach (var c in trimmed)
            if (c is not ('\r' or '\n')) kept.Append(c);
        return kept.ToString();
    }
}
