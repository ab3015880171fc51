namespace Bulwark.Policy.Dmarc;

/// <summary>The report URIs of rua= and ruf= (RFC 7489 section 6.4: dmarc-uri).</summary>
public static partial class DmarcRecordParser
{
    /// <summary>The valid URIs of a comma-separated list (a comma inside a URI must be
    /// percent-encoded, so splitting on ',' is exact); the invalid ones are noted and dropped.</summary>
    private static List<string> ReadUris(string tag, ReadOnlySpan<char> value, ref List<string>? notes)
    {
        var uris = new List<string>();
        foreach (var range in value.Split(','))
        {
            var uri = value[range].Trim(Wsp);
            if (IsReportUri(uri)) uris.Add(uri.ToString());
            else Note(ref notes, $"{tag}= URI '{DmarcText.Printable(uri)}' is not valid; ignored");
        }
        return uris;
    }

    /// <summary>
    /// dmarc-uri = URI [ "!" 1*DIGIT [ "k" / "m" / "g" / "t" ] ]. The URI part is checked for its
    /// shape only: a scheme (a letter, then letters, digits, '+', '-', '.'), a ':', and at least one
    /// more visible ASCII character, none of them white space. Enough to tell "mailto:d@example.com"
    /// from a typo; whether the address is reachable is the reporter's business.
    /// </summary>
    public static bool IsReportUri(ReadOnlySpan<char> text)
    {
        var uri = WithoutSizeLimit(text);
        var colon = uri.IndexOf(':');
        if (colon <= 0 || colon == uri.Length - 1 || !char.IsAsciiLetter(uri[0])) return false;
        foreach (var ch in uri[..colon])
            if (!(char.IsAsciiLetterOrDigit(ch) || ch is '+' or '-' or '.')) return false;
        foreach (var ch in uri[(colon + 1)..])
            if (ch is <= ' ' or > '~') return false;
        return true;
    }

    /// <summary>The URI without a trailing "!10m"-style size limit, when it has one.</summary>
    private static ReadOnlySpan<char> WithoutSizeLimit(ReadOnlySpan<char> text)
    {
        var bang = text.LastIndexOf('!');
        if (bang < 0) return text;
        var limit = text[(bang + 1)..];
        if (limit.Length > 0 && limit[^1] is 'k' or 'm' or 'g' or 't' or 'K' or 'M' or 'G' or 'T') limit = limit[..^1];
        return limit.Length > 0 && !limit.ContainsAnyExceptInRange('0', '9') ? text[..bang] : text;
    }
}
