using System.Text;

namespace Bulwark.Policy.Dkim;

/// <summary>
/// A message's header section as the bytes it arrived in: fields in order, each with its raw
/// bytes, so DKIM's signed form (RFC 6376 section 3.4, 3.7) is computed from what was received
/// and is relayed, not from a parser's rewriting of it, and DMARC reads the From field without
/// parsing the whole message. A field is a line that starts with its name and
/// a colon, plus the lines after it that start with white space; a line that is neither belongs
/// to no field and is never signed.
/// </summary>
public sealed class RawHeaderBlock
{
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();

    private readonly byte[] _bytes;
    private readonly List<Field> _fields;

    /// <param name="Name">The field name as written, lower case.</param>
    /// <param name="Start">Where the field starts in the block.</param>
    /// <param name="Colon">Where its colon is.</param>
    /// <param name="End">Just past its last line's line end.</param>
    private readonly record struct Field(string Name, int Start, int Colon, int End);

    private RawHeaderBlock(byte[] bytes, List<Field> fields)
    {
        _bytes = bytes;
        _fields = fields;
    }

    /// <summary>The field values of every field named <paramref name="name"/> (lower case), in order, unfolded.</summary>
    public IEnumerable<(int Index, string Value)> ValuesOf(string name) =>
        _fields.Select((f, i) => (f, i)).Where(x => x.f.Name == name)
            .Select(x => (x.i, Encoding.Latin1.GetString(_bytes, x.f.Colon + 1, x.f.End - x.f.Colon - 1)));

    /// <summary>The raw values (after the colon, line ends included) of every field named <paramref name="name"/> (lower case), in order.</summary>
    public IEnumerable<byte[]> RawValuesOf(string name) =>
        _fields.Where(f => f.Name == name).Select(f => _bytes.AsSpan(f.Colon + 1, f.End - f.Colon - 1).ToArray());

    /// <summary>Whether any field is named <paramref name="name"/> (lower case).</summary>
    public bool Has(string name) => _fields.Exists(f => f.Name == name);

    /// <summary>Reads a header section: <paramref name="bytes"/> holds it up to (not including) the empty line that ends it.</summary>
    public static RawHeaderBlock Parse(byte[] bytes)
    {
        var fields = new List<Field>();
        var position = 0;
        Field? open = null;
        while (position < bytes.Length)
        {
            var lineEnd = Array.IndexOf(bytes, (byte)'\n', position);
            var next = lineEnd < 0 ? bytes.Length : lineEnd + 1;
            if (bytes[position] is (byte)' ' or (byte)'\t')
            {
                if (open is { } continued) open = continued with { End = next };
            }
            else
            {
                if (open is { } done) fields.Add(done);
                var colon = Array.IndexOf(bytes, (byte)':', position, next - position);
                open = colon > position
                    ? new Field(Encoding.Latin1.GetString(bytes, position, colon - position).TrimEnd(' ', '\t').ToLowerInvariant(), position, colon, next)
                    : null;
            }
            position = next;
        }
        if (open is { } last) fields.Add(last);
        return new RawHeaderBlock(bytes, fields);
    }

    /// <summary>
    /// The data a signature's header hash covers (section 3.7): each field h= names, the last
    /// not yet used instance first for a name listed more than once, a name with no field left
    /// contributing nothing; then the signature field itself with its b= value emptied and no
    /// line end.
    /// </summary>
    public byte[] SignedData(IReadOnlyList<string> signedFields, int signatureIndex, bool relaxed)
    {
        var output = new MemoryStream();
        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in signedFields)
        {
            used.TryGetValue(name, out var skip);
            used[name] = skip + 1;
            var index = NthFromBottom(name, skip);
            if (index >= 0) Write(output, _fields[index], relaxed, stripSignature: false);
        }
        Write(output, _fields[signatureIndex], relaxed, stripSignature: true);
        return output.ToArray();
    }

    private int NthFromBottom(string name, int skip)
    {
        for (var i = _fields.Count - 1; i >= 0; i--)
            if (_fields[i].Name == name && skip-- == 0) return i;
        return -1;
    }

    private void Write(MemoryStream output, Field field, bool relaxed, bool stripSignature)
    {
        var value = _bytes.AsSpan(field.Colon + 1, field.End - field.Colon - 1);
        var stripped = stripSignature ? WithEmptySignatureValue(value) : value.ToArray();
        if (relaxed)
        {
            output.Write(Encoding.ASCII.GetBytes(field.Name));
            output.WriteByte((byte)':');
            WriteRelaxedValue(output, stripped);
            if (!stripSignature) output.Write(Crlf);
            return;
        }
        WriteWithCrlfLineEnds(output, _bytes.AsSpan(field.Start, field.Colon + 1 - field.Start));
        ReadOnlySpan<byte> body = stripped;
        if (stripSignature) body = TrimLineEnd(body);
        WriteWithCrlfLineEnds(output, body);
    }

    /// <summary>Relaxed (section 3.4.2): unfolded, runs of white space one space, none at either end.</summary>
    private static void WriteRelaxedValue(MemoryStream output, ReadOnlySpan<byte> value)
    {
        var pendingSpace = false;
        var started = false;
        foreach (var b in value)
        {
            if (b is (byte)'\r' or (byte)'\n') continue;
            if (b is (byte)' ' or (byte)'\t')
            {
                pendingSpace = started;
                continue;
            }
            if (pendingSpace) output.WriteByte((byte)' ');
            pendingSpace = false;
            started = true;
            output.WriteByte(b);
        }
    }

    /// <summary>Simple keeps the bytes; a line end that arrived as a bare LF is written as the CRLF it stands for.</summary>
    private static void WriteWithCrlfLineEnds(MemoryStream output, ReadOnlySpan<byte> bytes)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '\n' && (i == 0 || bytes[i - 1] != '\r')) output.WriteByte((byte)'\r');
            output.WriteByte(bytes[i]);
        }
    }

    private static ReadOnlySpan<byte> TrimLineEnd(ReadOnlySpan<byte> value)
    {
        if (value.Length > 0 && value[^1] == '\n') value = value[..^1];
        if (value.Length > 0 && value[^1] == '\r') value = value[..^1];
        return value;
    }

    /// <summary>
    /// The signature field's value with the b= tag's value, white space around it included,
    /// deleted (section 3.5, b=): the tag whose name is exactly "b", not "bh".
    /// </summary>
    public static byte[] WithEmptySignatureValue(ReadOnlySpan<byte> value)
    {
        var start = 0;
        while (start <= value.Length)
        {
            var semicolon = value[start..].IndexOf((byte)';');
            var end = semicolon < 0 ? value.Length : start + semicolon;
            var equals = value[start..end].IndexOf((byte)'=');
            if (equals >= 0 && IsB(value[start..(start + equals)]))
            {
                var valueStart = start + equals + 1;
                var tail = value[end..];
                // The last tag's value runs to the field's line end, which stays.
                if (semicolon < 0) tail = value[valueStart..].EndsWith("\r\n"u8) ? "\r\n"u8 : value[valueStart..].EndsWith("\n"u8) ? "\n"u8 : [];
                return [.. value[..valueStart], .. tail];
            }
            if (semicolon < 0) break;
            start = end + 1;
        }
        return value.ToArray();
    }

    private static bool IsB(ReadOnlySpan<byte> name)
    {
        var trimmed = name.Trim(" \t\r\n"u8);
        return trimmed.Length == 1 && trimmed[0] == 'b';
    }
}
