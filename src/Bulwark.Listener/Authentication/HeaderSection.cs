using System.Buffers;
using Bulwark.Policy.Dkim;

namespace Bulwark.Listener.Authentication;

/// <summary>
/// A stored message's header section, read once for every end-of-DATA check that needs only
/// its fields (From for DMARC, the signatures for DKIM): the bytes up to the empty line that
/// ends it, where the body starts, and the first body bytes read with it. A section larger
/// than <see cref="MaxBytes"/> is cut there (<see cref="TooLarge"/>).
/// </summary>
public sealed record HeaderSection(RawHeaderBlock Block, long BodyOffset, ReadOnlyMemory<byte> BodyStart, bool TooLarge)
{
    public const int MaxBytes = 1 << 20;

    private const int ReadSize = 16 * 1024;

    public static async Task<HeaderSection> ReadAsync(Stream stored, CancellationToken cancellationToken = default)
    {
        // Pooled: every message that reaches the end of DATA passes through here.
        var buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
        try
        {
            var length = 0;
            var lineStart = 0;
            while (true)
            {
                if (length == buffer.Length) buffer = Grow(buffer);
                var read = await stored.ReadAsync(buffer.AsMemory(length, Math.Min(ReadSize, buffer.Length - length)), cancellationToken);
                if (read == 0) return new HeaderSection(RawHeaderBlock.Parse(buffer[..length]), length, ReadOnlyMemory<byte>.Empty, false);
                for (var i = length; i < length + read; i++)
                {
                    if (buffer[i] != '\n') continue;
                    var line = i - lineStart;
                    if (lineStart > MaxBytes) break;
                    if (line == 0 || (line == 1 && buffer[lineStart] == '\r'))
                        return new HeaderSection(RawHeaderBlock.Parse(buffer[..lineStart]), i + 1, buffer[(i + 1)..(length + read)], false);
                    lineStart = i + 1;
                }
                length += read;
                if (length > MaxBytes) return new HeaderSection(RawHeaderBlock.Parse(buffer[..lineStart]), length, ReadOnlyMemory<byte>.Empty, true);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] Grow(byte[] buffer)
    {
        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        buffer.CopyTo(larger, 0);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }

    /// <summary>A new stream of the same message, read past the header section to the body.</summary>
    public async Task<Stream> OpenBodyAsync(Func<Stream> open, CancellationToken cancellationToken = default)
    {
        var stream = open();
        try
        {
            if (stream.CanSeek)
            {
                stream.Seek(BodyOffset, SeekOrigin.Begin);
                return stream;
            }
            var skip = ArrayPool<byte>.Shared.Rent(ReadSize);
            try
            {
                for (var left = BodyOffset; left > 0;)
                {
                    var read = await stream.ReadAsync(skip.AsMemory(0, (int)Math.Min(left, skip.Length)), cancellationToken);
                    if (read == 0) break;
                    left -= read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(skip);
            }
            return stream;
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }
}
