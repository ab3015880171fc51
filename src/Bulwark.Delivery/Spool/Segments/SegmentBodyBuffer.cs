using System.Buffers;

namespace Bulwark.Delivery.Spool.Segments;

/// <summary>Where a record's body comes from when the writer appends it: bytes in memory, or a
/// byte range of a file (a spilled entry, a dead letter being requeued, an old segment).</summary>
internal sealed record BodySource(ReadOnlyMemory<byte> Memory, string? Path, long FileOffset, long Length, uint Crc)
{
    public static readonly BodySource Empty = new(ReadOnlyMemory<byte>.Empty, null, 0, 0, Crc32C.Compute([]));
}

/// <summary>
/// The Body stream of a <see cref="SegmentSpoolEntry"/>: write-only, kept in one pooled buffer up to
/// the memory limit (most mail is a few KiB: no file at all until the segment append) and spilled to
/// tmp/&lt;id&gt;.body beyond it, so memory per session stays bounded. The CRC-32C of the body is
/// computed as it streams in, so the writer never reads a body twice.
/// </summary>
internal sealed class SegmentBodyBuffer(string spillPath, int memoryLimit) : Stream
{
    private byte[]? _buffer;
    private int _used;
    private FileStream? _spill;
    private long _length;
    private uint _crc = Crc32C.Seed;
    private bool _disposed;

    public bool Spilled => _spill is not null;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !_disposed;
    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _crc = Crc32C.Append(_crc, data);
        _length += data.Length;
        if (_spill is null && (long)_used + data.Length > memoryLimit) Spill();
        if (_spill is not null)
        {
            _spill.Write(data);
            return;
        }
        Grow(_used + data.Length);
        data.CopyTo(_buffer.AsSpan(_used));
        _used += data.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        // In memory the copy is cheaper than any async machinery; only the file needs awaiting.
        if (_spill is null && (long)_used + data.Length <= memoryLimit)
        {
            Write(data.Span);
            return ValueTask.CompletedTask;
        }
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_spill is null) Spill();
        _crc = Crc32C.Append(_crc, data.Span);
        _length += data.Length;
        return _spill!.WriteAsync(data, cancellationToken);
    }

    public override void Flush() => _spill?.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _spill?.FlushAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>What was written so far, for the content scanners.</summary>
    public Stream OpenRead()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_spill is null) return new MemoryStream(_buffer ?? [], 0, _used, writable: false);
        _spill.Flush();
        return new FileStream(spillPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
            64 * 1024, FileOptions.SequentialScan);
    }

    /// <summary>The finished body for the writer. The buffer stays valid until Dispose.</summary>
    public BodySource Seal()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var crc = Crc32C.Finish(_crc);
        if (_spill is null) return new BodySource(_buffer.AsMemory(0, _used), null, 0, _used, crc);
        _spill.Flush();
        return new BodySource(ReadOnlyMemory<byte>.Empty, spillPath, 0, _length, crc);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            ReturnBuffer();
            if (_spill is not null)
            {
                _spill.Dispose();
                SegmentSpool.TryDelete(spillPath);
            }
        }
        base.Dispose(disposing);
    }

    private void Grow(int needed)
    {
        if (_buffer is not null && _buffer.Length >= needed) return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(4096, (_buffer?.Length ?? 0) * 2)));
        if (_used > 0) _buffer.AsSpan(0, _used).CopyTo(bigger);
        ReturnBuffer();
        _buffer = bigger;
    }

    private void Spill()
    {
        _spill = new FileStream(spillPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete,
            64 * 1024, FileOptions.None);
        if (_used > 0) _spill.Write(_buffer!, 0, _used);
        ReturnBuffer();
        _used = 0;
    }

    private void ReturnBuffer()
    {
        if (_buffer is not null) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
    }
}
