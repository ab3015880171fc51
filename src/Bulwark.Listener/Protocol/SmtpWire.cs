using System.Buffers;
using System.Net.Sockets;
using System.Text;
using Bulwark.Policy.Sessions;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Listener.Protocol;

/// <summary>Result of reading one command line.</summary>
public readonly record struct LineRead(string? Line, bool TooLong, bool EndOfStream);

/// <summary>
/// The byte level of one SMTP connection: an input buffer of fixed size (memory per session stays
/// bounded whatever the client sends), command lines with a length cap, DATA bodies read line by
/// line with strict line ends, and replies gathered until the client's pipelined input is used
/// up, then sent in one write. Both buffers are rented from the shared pool only while they hold
/// bytes: an idle session waits for input with a zero-byte read and holds no buffer at all
/// (issue #8, docs/memory.md).
/// </summary>
public sealed partial class SmtpWire
{
    private const int InputBufferBytes = 8192;
    private const int OutputInitialBytes = 512;
    private static readonly byte[] CrLf = "\r\n"u8.ToArray();

    private Stream _stream;
    // Rented while unread bytes are pending or being parsed; null while the session idles.
    private byte[]? _input;
    private int _start;
    private int _end;
    // Rented while replies are queued; null once they are sent.
    private byte[]? _output;
    private int _outputLength;

    /// <summary>A plain-text wire on the socket; the socket stays the caller's to close.</summary>
    public SmtpWire(Socket socket) : this(new NetworkStream(socket, ownsSocket: false)) { }

    public SmtpWire(Stream stream) => _stream = stream;

    /// <summary>What the wire reads and writes: the socket's stream, or the TLS stream over it
    /// after STARTTLS.</summary>
    public Stream Stream => _stream;

    /// <summary>
    /// Throws away every byte read but not yet used, and returns how many. After the 220 to
    /// STARTTLS whatever the client sent in plain text must never be read as a command under TLS
    /// (RFC 3207 section 6; the CVE-2011-0411 command injection). Only this buffer can hold such
    /// bytes: the TLS stream reads the socket directly.
    /// </summary>
    public int DiscardBuffered()
    {
        var dropped = _end - _start;
        ReleaseInput();
        return dropped;
    }

    /// <summary>Continues on <paramref name="stream"/> (the TLS stream) with an empty input buffer.
    /// Pending output must have been flushed.</summary>
    public void SwitchTo(Stream stream)
    {
        if (_outputLength != 0) throw new InvalidOperationException("replies still queued for the old stream");
        DiscardBuffered();
        _stream = stream;
    }

    /// <summary>Gives both buffers back to the pool, dropping what they hold. Call only when no
    /// read or write is in flight (the connection is closing).</summary>
    public void Release()
    {
        ReleaseInput();
        ReleaseOutput();
    }

    public long BytesRead { get; private set; }

    /// <summary>True when a complete line is already buffered: the client pipelined, so the
    /// reply can wait and go out together with the next ones.</summary>
    public bool HasBufferedLine => Pending.IndexOf((byte)'\n') >= 0;

    /// <summary>True while the input buffer is rented (for tests: an idle wire holds none).</summary>
    public bool HoldsInputBuffer => _input is not null;

    /// <summary>True while the output buffer is rented (for tests: a flushed wire holds none).</summary>
    public bool HoldsOutputBuffer => _output is not null;

    private Span<byte> Pending => _input is null ? default : _input.AsSpan(_start, _end - _start);

    public void Enqueue(SmtpReply reply) => EnqueueLine(reply.ToWire());

    /// <summary>A multi-line reply: "250-first", ..., "250 last".</summary>
    public void EnqueueMultiline(int code, IReadOnlyList<string> lines)
    {
        for (var i = 0; i < lines.Count; i++)
            EnqueueLine($"{code}{(i == lines.Count - 1 ? ' ' : '-')}{lines[i]}");
    }

    private void EnqueueLine(string line)
    {
        var count = Encoding.UTF8.GetByteCount(line);
        var target = ReserveOutput(count + CrLf.Length);
        Encoding.UTF8.GetBytes(line, target);
        CrLf.CopyTo(target[count..]);
        _outputLength += count + CrLf.Length;
    }

    /// <summary>Room for <paramref name="bytes"/> more bytes at the end of the output buffer.</summary>
    private Span<byte> ReserveOutput(int bytes)
    {
        var needed = _outputLength + bytes;
        if (_output is null)
        {
            _output = ArrayPool<byte>.Shared.Rent(Math.Max(OutputInitialBytes, needed));
        }
        else if (needed > _output.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_output.Length * 2, needed));
            _output.AsSpan(0, _outputLength).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_output);
            _output = larger;
        }
        return _output.AsSpan(_outputLength, bytes);
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_outputLength == 0) return;
        // On failure the replies stay queued, as they always did: a last-word TrySend writes them too.
        await _stream.WriteAsync(_output.AsMemory(0, _outputLength), cancellationToken).ConfigureAwait(false);
        ReleaseOutput();
    }

    /// <summary>Reads one command line. A line over <paramref name="maxBytes"/> (CRLF included)
    /// is skipped up to its end and reported as too long.</summary>
    public async ValueTask<LineRead> ReadLineAsync(int maxBytes, CancellationToken cancellationToken)
    {
        var discarding = false;
        while (true)
        {
            var window = Pending;
            var lf = window.IndexOf((byte)'\n');
            if (lf >= 0)
            {
                var length = lf + 1;
                var line = window[..lf];
                if (line.Length > 0 && line[^1] == '\r') line = line[..^1];
                _start += length;
                if (discarding || length > maxBytes) return new LineRead(null, true, false);
                return new LineRead(Encoding.UTF8.GetString(line), false, false);
            }
            if (_end - _start >= maxBytes || (_start == 0 && _end == InputBufferBytes))
            {
                // No line end within the limit: drop what we have and keep dropping to the LF.
                discarding = true;
                _start = _end = 0;
            }
            // The waits are awaited here rather than in FillAsync: one state machine less is held
            // by every session that sits waiting for its next command.
            if (_start == _end)
            {
                // Nothing half-read: give the buffer back and wait for bytes without one.
                ReleaseInput();
                await _stream.ReadAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
            }
            var read = await _stream.ReadAsync(FreeSpace(), cancellationToken).ConfigureAwait(false);
            if (!Filled(read)) return new LineRead(null, false, true);
        }
    }

    /// <summary>Reads more without giving the buffer back (DATA: the client is sending). False at
    /// end of stream.</summary>
    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken) =>
        Filled(await _stream.ReadAsync(FreeSpace(), cancellationToken).ConfigureAwait(false));

    /// <summary>Rents the input buffer if needed, moves unread bytes to its front and returns the
    /// room after them.</summary>
    private Memory<byte> FreeSpace()
    {
        if (_input is null)
        {
            _input = ArrayPool<byte>.Shared.Rent(InputBufferBytes);
            _start = _end = 0;
        }
        else if (_start > 0)
        {
            Buffer.BlockCopy(_input, _start, _input, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        // The pool may hand out a larger array; the limits are counted on InputBufferBytes.
        return _input.AsMemory(_end, InputBufferBytes - _end);
    }

    /// <summary>Accounts for <paramref name="read"/> new bytes. False at end of stream.</summary>
    private bool Filled(int read)
    {
        if (read == 0)
        {
            if (_start == _end) ReleaseInput();
            return false;
        }
        _end += read;
        BytesRead += read;
        return true;
    }

    private void ReleaseInput()
    {
        _start = _end = 0;
        if (_input is null) return;
        ArrayPool<byte>.Shared.Return(_input);
        _input = null;
    }

    private void ReleaseOutput()
    {
        _outputLength = 0;
        if (_output is null) return;
        ArrayPool<byte>.Shared.Return(_output);
        _output = null;
    }
}
