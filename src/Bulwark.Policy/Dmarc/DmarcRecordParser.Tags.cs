using System.Globalization;

namespace Bulwark.Policy.Dmarc;

/// <summary>The tags of section 6.3, one reader each.</summary>
public static partial class DmarcRecordParser
{
    /// <summary>The tags read so far; a mutable struct that lives only during one parse.</summary>
    private struct TagValues
    {
        private Seen _seen;
        private string? _badPolicy;
        private string? _badSubdomainPolicy;
        private DmarcPolicy? _policy;
        private DmarcPolicy? _subdomainPolicy;
        private DmarcAlignmentMode _dkim;
        private DmarcAlignmentMode _spf;
        private int? _percent;
        private List<string>? _rua;
        private List<string>? _ruf;
        private string? _fo;
        private string? _rf;
        private long? _ri;

        [Flags]
        private enum Seen
        {
            None = 0, P = 1, Sp = 2, Adkim = 4, Aspf = 8, Pct = 16, Rua = 32, Ruf = 64, Fo = 128, Rf = 256, Ri = 512, V = 1024,
        }

        public bool Read(ReadOnlySpan<char> name, ReadOnlySpan<char> value, ref List<string>? notes, out string problem)
        {
            problem = "";
            var tag = Classify(name);
            if (tag == Seen.None) return true; // unknown tags are ignored
            if ((_seen & tag) != 0)
                return Fail($"not a usable DMARC record: the tag {name.ToString().ToLowerInvariant()}= is given twice", out problem);
            _seen |= tag;
            switch (tag)
            {
                case Seen.V:
                    break; // a second v= is caught as a duplicate above; the first was the leading tag
                case Seen.P:
                    _policy = ReadPolicy(value);
                    if (_policy is null) _badPolicy = DmarcText.Printable(value);
                    break;
                case Seen.Sp:
                    _subdomainPolicy = ReadPolicy(value);
                    if (_subdomainPolicy is null) _badSubdomainPolicy = DmarcText.Printable(value);
                    break;
                case Seen.Adkim:
                    _dkim = ReadAlignment("adkim", value, ref notes);
                    break;
                case Seen.Aspf:
                    _spf = ReadAlignment("aspf", value, ref notes);
                    break;
                case Seen.Pct:
                    _percent = ReadPercent(value);
                    if (_percent is null) Note(ref notes, $"pct={DmarcText.Printable(value)} is not 0..100; using {DmarcRecord.DefaultPercent}");
                    break;
                case Seen.Rua:
                    _rua = ReadUris("rua", value, ref notes);
                    break;
                case Seen.Ruf:
                    _ruf = ReadUris("ruf", value, ref notes);
                    break;
                case Seen.Fo:
                    _fo = ReadColonList(value, static t => t is "0" or "1" or "d" or "s");
                    if (_fo is null) Note(ref notes, $"fo={DmarcText.Printable(value)} is not usable; using {DmarcRecord.DefaultFailureOptions}");
                    break;
                case Seen.Rf:
                    _rf = ReadColonList(value, IsKeyword);
                    if (_rf is null) Note(ref notes, $"rf={DmarcText.Printable(value)} is not usable; using {DmarcRecord.DefaultReportFormat}");
                    break;
                case Seen.Ri:
                    _ri = ReadInterval(value);
                    if (_ri is null) Note(ref notes, $"ri={DmarcText.Printable(value)} is not a number of seconds; using {DmarcRecord.DefaultReportInterval}");
                    break;
            }
            return true;
        }

        /// <summary>The record, after section 6.6.3 step 6 for a bad or missing p= / sp=.</summary>
        public readonly bool TryBuild(List<string>? notes, out DmarcRecord record, out string problem)
        {
            record = null!;
            problem = "";
            var policy = _policy;
            var subdomainPolicy = _subdomainPolicy;
            var defect = policy is null
                ? _badPolicy is null ? "no p= tag" : $"invalid p={_badPolicy}"
                : _badSubdomainPolicy is null ? null : $"invalid sp={_badSubdomainPolicy}";
            if (defect is not null)
            {
                if (_rua is not { Count: > 0 })
                    return Fail($"not a usable DMARC record: {defect} and no valid rua= URI", out problem);
                Note(ref notes, $"{defect}; acting as p=none because rua= has a valid URI (RFC 7489 6.6.3)");
                policy = DmarcPolicy.None;
                subdomainPolicy = null;
            }
            record = new DmarcRecord(
                policy!.Value,
                subdomainPolicy,
                _dkim,
                _spf,
                _percent ?? DmarcRecord.DefaultPercent,
                _rua,
                _ruf,
                _fo ?? DmarcRecord.DefaultFailureOptions,
                _rf ?? DmarcRecord.DefaultReportFormat,
                _ri ?? DmarcRecord.DefaultReportInterval,
                notes is null ? null : string.Join("; ", notes));
            return true;
        }

        private static Seen Classify(ReadOnlySpan<char> name)
        {
            Span<char> lower = stackalloc char[8];
            if (name.Length > lower.Length) return Seen.None;
            name.ToLowerInvariant(lower);
            return lower[..name.Length] switch
            {
                "v" => Seen.V,
                "p" => Seen.P,
                "sp" => Seen.Sp,
                "adkim" => Seen.Adkim,
                "aspf" => Seen.Aspf,
                "pct" => Seen.Pct,
                "rua" => Seen.Rua,
                "ruf" => Seen.Ruf,
                "fo" => Seen.Fo,
                "rf" => Seen.Rf,
                "ri" => Seen.Ri,
                _ => Seen.None,
            };
        }
    }

    private static DmarcPolicy? ReadPolicy(ReadOnlySpan<char> value) =>
        value.Equals("none", StringComparison.OrdinalIgnoreCase) ? DmarcPolicy.None
        : value.Equals("quarantine", StringComparison.OrdinalIgnoreCase) ? DmarcPolicy.Quarantine
        : value.Equals("reject", StringComparison.OrdinalIgnoreCase) ? DmarcPolicy.Reject
        : null;

    private static DmarcAlignmentMode ReadAlignment(string tag, ReadOnlySpan<char> value, ref List<string>? notes)
    {
        if (value.Equals("r", StringComparison.OrdinalIgnoreCase)) return DmarcAlignmentMode.Relaxed;
        if (value.Equals("s", StringComparison.OrdinalIgnoreCase)) return DmarcAlignmentMode.Strict;
        Note(ref notes, $"{tag}={DmarcText.Printable(value)} is neither r nor s; using r");
        return DmarcAlignmentMode.Relaxed;
    }

    /// <summary>1*3DIGIT, and 0..100.</summary>
    private static int? ReadPercent(ReadOnlySpan<char> value)
    {
        if (value.Length is 0 or > 3 || value.ContainsAnyExceptInRange('0', '9')) return null;
        var percent = int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
        return percent <= 100 ? percent : null;
    }

    /// <summary>1*DIGIT; a number too large for 32 bits unsigned is not an interval anyone means.</summary>
    private static long? ReadInterval(ReadOnlySpan<char> value) =>
        !value.IsEmpty && !value.ContainsAnyExceptInRange('0', '9')
        && uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : null;

    /// <summary>Items separated by ':' with optional white space, each accepted by <paramref name="valid"/>;
    /// returned in lower case without the white space, or null when any item is bad.</summary>
    private static string? ReadColonList(ReadOnlySpan<char> value, Func<string, bool> valid)
    {
        if (value.IsEmpty) return null;
        var items = new List<string>();
        foreach (var range in value.Split(':'))
        {
            var item = value[range].Trim(Wsp).ToString().ToLowerInvariant();
            if (!valid(item)) return null;
            items.Add(item);
        }
        return string.Join(':', items);
    }

    /// <summary>RFC 5321 Keyword: a letter or digit, then letters, digits and hyphens.</summary>
    private static bool IsKeyword(string item)
    {
        if (item.Length == 0 || !char.IsAsciiLetterOrDigit(item[0])) return false;
        foreach (var ch in item)
            if (!(char.IsAsciiLetterOrDigit(ch) || ch == '-')) return false;
        return true;
    }
}
