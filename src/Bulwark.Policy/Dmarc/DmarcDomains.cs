using System.Globalization;

namespace Bulwark.Policy.Dmarc;

/// <summary>
/// The one form in which DMARC compares domain names: lower case, A-labels (punycode) for
/// internationalised labels, no trailing dot. The Public Suffix List writes IDN rules in Unicode
/// while DNS and DKIM d= carry A-labels; normalising both sides makes them meet.
/// </summary>
public static class DmarcDomains
{
    public const int MaxLength = 253;
    private const int MaxLabelLength = 63;

    /// <summary>
    /// <paramref name="domain"/> in normal form, or null when it is not a usable domain name (empty,
    /// an empty label, a label over 63 octets, over 253 octets, or rejected by IDNA). A name that is
    /// already normal is returned as the same string, without allocating.
    /// </summary>
    public static string? Normalize(string? domain)
    {
        if (string.IsNullOrEmpty(domain)) return null;
        if (IsNormal(domain)) return domain;
        var trimmed = domain[^1] == '.' ? domain[..^1] : domain;
        if (IsNormal(trimmed)) return trimmed;
        return ToAscii(trimmed);
    }

    /// <summary>True when every label is 1..63 of [a-z0-9-_] and the whole fits in 253 octets: the
    /// common case, which needs no IDNA work.</summary>
    public static bool IsNormal(ReadOnlySpan<char> name)
    {
        if (name.Length is 0 or > MaxLength) return false;
        var labelLength = 0;
        foreach (var ch in name)
        {
            if (ch == '.')
            {
                if (labelLength == 0) return false;
                labelLength = 0;
                continue;
            }
            if (!(char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch is '-' or '_')) return false;
            if (++labelLength > MaxLabelLength) return false;
        }
        return labelLength > 0;
    }

    private static string? ToAscii(string name)
    {
        try
        {
            // IdnMapping leaves ASCII letters as they are, so lower case before and after:
            // before so that "XN--" A-labels are recognised, after for what IDNA passed through.
            var ascii = new IdnMapping().GetAscii(name.ToLowerInvariant()).ToLowerInvariant();
            return IsNormal(ascii) ? ascii : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The number of labels of a normal name ("mail.example.com" has three).</summary>
    internal static int LabelCount(ReadOnlySpan<char> name) => name.Count('.') + 1;
}
