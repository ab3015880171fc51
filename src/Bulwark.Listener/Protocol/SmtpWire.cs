using System.Net.Sockets;
using System.Text;
using Bulwark.Policy.Sessions;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Listener.Protocol;

/// <summary>Result of reading one command line.</summary>
public readonly record struct LineRead(string? Line, bool TooLong, bool EndOfStream);

/// <summary>
/// The byte level of one SMTP connection: a fixed input buffer (memory per session stays
/// bounded whatever the client sends), command lines with a length cap, DATA bodies read
/// line by line with strict line ends, and replies gathered until the client's pipelined
/// input is used up, then sent in one write.
/// </summary>
public sealed partial class SmtpWire
{
    private const int InputBufferBytes = 8192;
    private static readonly byte[] CrLf = "\r\n"u8.ToArray();

    private Stream _stream;
    private readonly byte[] _input = new byte[InputBufferBytes];
    private int _start;
    private int _end;
    private readonly MemoryStream _output = new(256);

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
        _start = _end = 0;
        return dropped;
    }

    /// <summary>Continues on <paramref name="stream"/> (the TLS stream) with an empty input buffer.
    /// Pending output must have been flushed.</summary>
    public void SwitchTo(Stream stream)
    {
        if (_output.Length != 0) throw new InvalidOperationException("replies still queued for the old stream");
        DiscardBuffered();
        _stream = stream;
    }

    public long BytesRead { get; private set; }

    /// <summary>True when a complete line is already buffered: the client pipelined, so the
    /// reply can wait and go out together with the next ones.</summary>
    public bool HasBufferedLine => _input.AsSpan(_start, _end - _start).IndexOf((byte)'\n') >= 0;

    public void Enqueue(SmtpReply reply) => EnqueueLine(reply.ToWire());

    /// <summary>A multi-line reply: "250-first", ..., "250 last".</summary>
    public void EnqueueMultiline(int code, IReadOnlyList<string> lines)
    {
        for (var i = 0; i < lines.Count; i++)
            EnqueueLine($"{code}{(i == lines.Count - 1 ? ' ' : '-')}{lines[i]}");
    }

    private void EnqueueLine(string line)
    {
        Span<byte> scratch = stackalloc byte[512];
        var count = Encoding.UTF8.GetByteCount(line);
        if (count <= scratch.Length)
        {
            Encoding.UTF8.GetBytes(line, scratch);
            _output.Write(scratch[..count]);
        }
        else
        {
            _output.Write(Encoding.UTF8.GetBytes(line));
        }
        _output.Write(CrLf);
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_output.Length == 0) return;
        var pending = new ReadOnlyMemory<byte>(_output.GetBuffer(), 0, (int)_output.Length);
        await _stream.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        _output.SetLength(0);
    }

    /// <summary>Reads one command line. A line over <paramref name="maxBytes"/> (CRLF included)
    /// is skipped up to its end and reported as too long.</summary>
    public async ValueTask<LineRead> ReadLineAsync(int maxBytes, CancellationToken cancellationToken)
    {
        var discarding = false;
        while (true)
        {
            var window = _input.AsSpan(_start, _end - _start);
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
            if (_end - _start >= maxBytes || (_start == 0 && _end == _input.Length))
            {
                // No line end within the limit: drop what we have and keep dropping to the LF.
                discarding = true;
                _start = _end = 0;
            }
            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                return new LineRead(null, false, true);
        }
    }

    /// <summary>Moves unread bytes to the front and reads more. False at end of stream.</summary>
    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_input, _start, _input, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        var read = await _stream.ReadAsync(_input.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        if (read == 0) return false;
        _end += read;
        BytesRead += read;
        return true;
    }
}
