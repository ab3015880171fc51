using System.Text;

namespace Bulwark.Listener.Protocol;

/// <summary>
/// Drops chosen header fields from a message's header section while it streams to the spool.
/// Only fields named <c>fieldName</c> are held back (with their folded continuation lines, up
/// to <see cref="MaxHeldBytes"/>) until their end is known, then kept or dropped by the
/// predicate; every other line passes straight through, so memory stays bounded.
/// Used to remove Authentication-Results fields that claim this farm's authserv-id: a sender
/// must not be able to forge the verdicts the next hop trusts.
/// </summary>
public sealed class HeaderSectionFilter
{
    /// <summary>A field longer than this is kept as it is rather than held in memory.</summary>
    public const int MaxHeldBytes = 64 * 1024;

    private static readonly byte[] LineEnd = "\r\n"u8.ToArray();
    private readonly byte[] _fieldPrefix;
    private readonly Func<string, bool> _drop;
    private readonly MemoryStream _held = new();
    private bool _inHeaders = true;
    private bool _holding;

    public HeaderSectionFilter(string fieldName, Func<string, bool> drop)
    {
        _fieldPrefix = Encoding.ASCII.GetBytes(fieldName);
        _drop = drop;
    }

    public int Dropped { get; private set; }

    /// <summary>Takes one line of the message (without its CRLF).</summary>
    public void WriteLine(ReadOnlySpan<byte> line, Stream sink)
    {
        if (!_inHeaders)
        {
            Pass(line, sink);
            return;
        }
        if (line.IsEmpty)
        {
            Release(sink);
            _inHeaders = false;
            Pass(line, sink);
            return;
        }
        if (line[0] is (byte)' ' or (byte)'\t')
        {
            if (!_holding)
            {
                Pass(line, sink);
                return;
            }
            Hold(line);
            if (_held.Length > MaxHeldBytes) Flush(sink);
            return;
        }
        Release(sink);
        if (IsChosenField(line))
        {
            _holding = true;
            Hold(line);
        }
        else
        {
            Pass(line, sink);
        }
    }

    /// <summary>The body ended (possibly with no blank line after the headers).</summary>
    public void Complete(Stream sink) => Release(sink);

    private bool IsChosenField(ReadOnlySpan<byte> line)
    {
        if (line.Length <= _fieldPrefix.Length) return false;
        for (var i = 0; i < _fieldPrefix.Length; i++)
            if ((line[i] | 0x20) != (_fieldPrefix[i] | 0x20)) return false;
        var rest = line[_fieldPrefix.Length..].TrimStart((byte)' ');
        return !rest.IsEmpty && rest[0] == ':';
    }

    private void Hold(ReadOnlySpan<byte> line)
    {
        _held.Write(line);
        _held.Write(LineEnd);
    }

    /// <summary>Ends the held field: dropped if the predicate says so, otherwise written out.</summary>
    private void Release(Stream sink)
    {
        if (!_holding) return;
        var text = Encoding.UTF8.GetString(_held.GetBuffer(), 0, (int)_held.Length);
        var colon = text.IndexOf(':');
        if (_drop(text[(colon + 1)..]))
        {
            Dropped++;
            _held.SetLength(0);
            _holding = false;
            return;
        }
        Flush(sink);
    }

    private void Flush(Stream sink)
    {
        sink.Write(_held.GetBuffer(), 0, (int)_held.Length);
        _held.SetLength(0);
        _holding = false;
    }

    private static void Pass(ReadOnlySpan<byte> line, Stream sink)
    {
        sink.Write(line);
        sink.Write(LineEnd);
    }
}
