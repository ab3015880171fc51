namespace Bulwark.Policy.Spf;

/// <summary>
/// RFC 7208 section 4.5 / 12 record syntax. The whole record is checked before evaluation
/// (section 4.6: a syntax error anywhere is a permerror, even after a matching mechanism).
/// </summary>
public static partial class RecordParser
{
    private const string Version = "v=spf1";

    /// <summary>Is this TXT string an SPF version 1 record ("v=spf1" then a space or the end, any case)?</summary>
    public static bool IsSpfRecord(string text) =>
        text.StartsWith(Version, StringComparison.OrdinalIgnoreCase)
        && (text.Length == Version.Length || text[Version.Length] == ' ');

    public static bool TryParse(string text, out SpfRecord record, out string problem)
    {
        record = null!;
        if (!IsSpfRecord(text))
        {
            problem = "not a v=spf1 record";
            return false;
        }
        var mechanisms = new List<SpfMechanism>();
        var unknown = new List<SpfModifier>();
        string? redirect = null, exp = null;
        // Terms are separated by one or more spaces (RFC 7208 4.5 / 12: 1*SP); other white space is an error.
        foreach (var term in text[Version.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (TryModifier(term, out var name, out var value, out problem))
            {
                if (problem.Length > 0) return false;
                if (name.Equals("redirect", StringComparison.OrdinalIgnoreCase))
                {
                    if (redirect is not null) return Fail("redirect= given twice", out problem);
                    if (!IsDomainSpec(value, out problem)) return false;
                    redirect = value;
                }
                else if (name.Equals("exp", StringComparison.OrdinalIgnoreCase))
                {
                    if (exp is not null) return Fail("exp= given twice", out problem);
                    if (!IsDomainSpec(value, out problem)) return false;
                    exp = value;
                }
                else
                {
                    if (MacroExpander.Validate(value, MacroScope.DomainSpec) is { } bad) return Fail(bad, out problem);
                    unknown.Add(new SpfModifier(name, value));
                }
                continue;
            }
            if (!TryMechanism(term, out var mechanism, out problem)) return false;
            mechanisms.Add(mechanism);
        }
        record = new SpfRecord(mechanisms, redirect, exp, unknown);
        problem = "";
        return true;
    }

    /// <summary>name "=" macro-string, with name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ).
    /// Returns false when the term is not shaped like a modifier at all (then it must be a mechanism).</summary>
    private static bool TryModifier(string term, out string name, out string value, out string problem)
    {
        name = value = problem = "";
        var i = 0;
        while (i < term.Length && (char.IsAsciiLetterOrDigit(term[i]) || term[i] is '-' or '_' or '.')) i++;
        if (i >= term.Length || term[i] != '=') return false;
        if (i == 0 || !char.IsAsciiLetter(term[0]))
        {
            problem = $"invalid modifier name in '{term}'";
            return true;
        }
        name = term[..i];
        value = term[(i + 1)..];
        return true;
    }

    /// <summary>"0" or a number without leading zero, at most <paramref name="max"/>.</summary>
    private static bool TryCidr(ReadOnlySpan<char> digits, int max, out int value)
    {
        value = 0;
        if (digits.Length is 0 or > 3 || !IsAllDigits(digits) || (digits.Length > 1 && digits[0] == '0')) return false;
        value = int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
        return value <= max;
    }

    private static bool IsAllDigits(ReadOnlySpan<char> s) => s.Length > 0 && !s.ContainsAnyExceptInRange('0', '9');

    /// <summary>domain-spec = macro-string domain-end; domain-end = ( "." toplabel [ "." ] ) / macro-expand.</summary>
    public static bool IsDomainSpec(string spec, out string problem)
    {
        problem = "";
        if (spec.Length == 0) return Fail("empty domain-spec", out problem);
        if (MacroExpander.Validate(spec, MacroScope.DomainSpec) is { } bad) return Fail(bad, out problem);
        if (MacroExpander.EndsWithMacro(spec, MacroScope.DomainSpec)) return true;
        var name = spec.AsSpan();
        if (name[^1] == '.') name = name[..^1];
        var dot = name.LastIndexOf('.');
        // The toplabel must be literal text: a '%' there would mean a macro ends the name.
        if (dot < 0 || !DomainNames.IsTopLabel(name[(dot + 1)..]))
            return Fail($"invalid domain '{spec}'", out problem);
        return true;
    }

    private static bool Fail(string why, out string problem)
    {
        problem = why;
        return false;
    }
}
