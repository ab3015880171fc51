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
        var buffer = new MemoryStream();
        var chunk = new byte[ReadSize];
        var lineStart = 0;
        var scanned = 0;
        while (true)
        {
            var read = await stored.ReadAsync(chunk, cancellationToken);
            if (read == 0) return new HeaderSection(RawHeaderBlock.Parse(buffer.ToArray()), buffer.Length, ReadOnlyMemory<byte>.Empty, false);
            buffer.Write(chunk, 0, read);
            var bytes = buffer.GetBuffer();
            var length = (int)buffer.Length;
            for (; scanned < length; scanned++)
            {
                if (bytes[scanned] != '\n') continue;
                var line = scanned - lineStart;
                if (line == 0 || (line == 1 && bytes[lineStart] == '\r'))
                    return new HeaderSection(RawHeaderBlock.Parse(bytes[..lineStart]), scanned + 1, bytes.AsMemory(scanned + 1, length - scanned - 1), false);
                lineStart = scanned + 1;
            }
            if (length > MaxBytes) return new HeaderSection(RawHeaderBlock.Parse(bytes[..lineStart]), length, ReadOnlyMemory<byte>.Empty, true);
        }
    }

    /// <summary>A new stream of the same message, read past the header section to the body.</summary>
    public async Task<Stream> OpenBodyAsync(Func<Stream> open, CancellationToken cancellationToken = default)
    {
        var stream = open();
        try
        {
            var skip = new byte[ReadSize];
            for (var left = BodyOffset; left > 0;)
            {
                var read = await stream.ReadAsync(skip.AsMemory(0, (int)Math.Min(left, skip.Length)), cancellationToken);
                if (read == 0) break;
                left -= read;
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
