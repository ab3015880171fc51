using System.Text;

namespace Bulwark.Delivery.Spool;

/// <summary>A queued message as it is delivered: the envelope's header fields, then the body.</summary>
public static class MessageBody
{
    public static Stream Open(ISpool spool, Envelope envelope) => WithFields(envelope.HeaderFields, spool.OpenBody(envelope.QueueId));

    /// <summary><paramref name="body"/> with <paramref name="fields"/> in front of it (none: the body itself).</summary>
    public static Stream WithFields(string? fields, Stream body) =>
        string.IsNullOrEmpty(fields) ? body : new PrefixedStream(Encoding.UTF8.GetBytes(fields), body);
}

/// <summary>A read-only stream of some bytes followed by another stream; seekable when that one is.</summary>
internal sealed class PrefixedStream(byte[] prefix, Stream rest) : Stream
{
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => rest.CanSeek;
    public override bool CanWrite => false;
    public override long Length => prefix.Length + rest.Length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_position < prefix.Length)
        {
            var n = Math.Min(buffer.Length, prefix.Length - (int)_position);
            prefix.AsSpan((int)_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }
        var read = rest.Read(buffer);
        _position += read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position < prefix.Length) return Read(buffer.Span);
        var read = await rest.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => Length + offset,
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target);
        rest.Seek(Math.Max(0, target - prefix.Length), SeekOrigin.Begin);
        return _position = target;
    }

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) rest.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await rest.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
