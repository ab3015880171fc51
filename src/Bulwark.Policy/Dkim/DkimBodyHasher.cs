using System.Buffers;
using System.Security.Cryptography;

namespace Bulwark.Policy.Dkim;

/// <summary>
/// The body hash of one canonicalization (RFC 6376 section 3.4.3, 3.4.4), fed the body in
/// pieces of any size as it is read from the spool, so a large message is never held in memory.
/// Simple keeps the bytes and drops empty lines at the end; relaxed also drops white space at
/// the end of each line and makes each run of it one space. A body that does not end with a
/// line end gets one; an empty body is one CRLF under simple and nothing under relaxed. With
/// l=, only that many canonical bytes are hashed.
/// </summary>
public sealed class DkimBodyHasher : IDisposable
{
    private readonly bool _relaxed;
    private readonly long _limit;
    private static readonly SearchValues<byte> SimpleSpecial = SearchValues.Create("\r\n"u8);
    private static readonly SearchValues<byte> RelaxedSpecial = SearchValues.Create("\r\n \t"u8);

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096);
    private int _buffered;
    private long _emptyLinesPending;
    private bool _spacePending;
    private bool _crPending;
    private bool _anyContent;

    public DkimBodyHasher(bool relaxed, long? length)
    {
        _relaxed = relaxed;
        _limit = length ?? long.MaxValue;
    }

    /// <summary>How many canonical bytes the body has, all of them, hashed or not.</summary>
    public long CanonicalLength { get; private set; }

    public void Append(ReadOnlySpan<byte> body)
    {
        // Runs of ordinary bytes go in whole; only line ends (and white space, in relaxed) are
        // looked at one by one.
        var special = _relaxed ? RelaxedSpecial : SimpleSpecial;
        while (!body.IsEmpty)
        {
            if (_crPending)
            {
                _crPending = false;
                if (body[0] == '\n')
                {
                    EndLine();
                    body = body[1..];
                    continue;
                }
                Content("\r"u8);
            }
            var at = body.IndexOfAny(special);
            if (at != 0) Content(at < 0 ? body : body[..at]);
            if (at < 0) return;
            switch (body[at])
            {
                case (byte)'\r':
                    _crPending = true;
                    break;
                case (byte)'\n':
                    EndLine();
                    break;
                default:
                    _spacePending = true;
                    break;
            }
            body = body[(at + 1)..];
        }
    }

    /// <summary>The hash, once the whole body has been appended.</summary>
    public byte[] Finish()
    {
        if (_crPending) Content("\r"u8);
        _crPending = false;
        // The line end of the last line with content; the empty lines after it are gone.
        if (_anyContent || !_relaxed)
        {
            Emit((byte)'\r');
            Emit((byte)'\n');
        }
        Flush();
        return _hash.GetHashAndReset();
    }

    private void EndLine()
    {
        _spacePending = false;
        _emptyLinesPending++;
    }

    private void Content(ReadOnlySpan<byte> run)
    {
        // A line end is written only once a later line has content: empty lines at the end vanish.
        for (; _emptyLinesPending > 0; _emptyLinesPending--)
        {
            Emit((byte)'\r');
            Emit((byte)'\n');
        }
        if (_spacePending) Emit((byte)' ');
        _spacePending = false;
        _anyContent = true;
        Emit(run);
    }

    private void Emit(byte b)
    {
        if (CanonicalLength++ >= _limit) return;
        _buffer[_buffered++] = b;
        if (_buffered == _buffer.Length) Flush();
    }

    private void Emit(ReadOnlySpan<byte> run)
    {
        var room = _limit - CanonicalLength;
        CanonicalLength += run.Length;
        if (room <= 0) return;
        if (room < run.Length) run = run[..(int)room];
        while (!run.IsEmpty)
        {
            var n = Math.Min(run.Length, _buffer.Length - _buffered);
            run[..n].CopyTo(_buffer.AsSpan(_buffered));
            _buffered += n;
            run = run[n..];
            if (_buffered == _buffer.Length) Flush();
        }
    }

    private void Flush()
    {
        _hash.AppendData(_buffer, 0, _buffered);
        _buffered = 0;
    }

    public void Dispose()
    {
        _hash.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
    }
}
