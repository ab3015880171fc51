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
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _buffer = new byte[8192];
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
        foreach (var b in body)
        {
            if (_crPending)
            {
                _crPending = false;
                if (b == '\n')
                {
                    EndLine();
                    continue;
                }
                Content((byte)'\r');
            }
            switch (b)
            {
                case (byte)'\r':
                    _crPending = true;
                    break;
                case (byte)'\n':
                    EndLine();
                    break;
                case (byte)' ' or (byte)'\t' when _relaxed:
                    _spacePending = true;
                    break;
                default:
                    Content(b);
                    break;
            }
        }
    }

    /// <summary>The hash, once the whole body has been appended.</summary>
    public byte[] Finish()
    {
        if (_crPending) Content((byte)'\r');
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

    private void Content(byte b)
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
        Emit(b);
    }

    private void Emit(byte b)
    {
        if (CanonicalLength++ >= _limit) return;
        _buffer[_buffered++] = b;
        if (_buffered == _buffer.Length) Flush();
    }

    private void Flush()
    {
        _hash.AppendData(_buffer, 0, _buffered);
        _buffered = 0;
    }

    public void Dispose() => _hash.Dispose();
}
