using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Bulwark.Delivery.Spool.Segments;

/// <summary>One record as found in a segment at recovery.</summary>
internal readonly record struct ScannedRecord(RecordKind Kind, string Id, Envelope? Envelope, long BodyOffset,
    long BodyLength, uint BodyCrc, long RecordBytes);

/// <summary>Recovery scan of one segment file.</summary>
internal static class SegmentReader
{
    /// <summary>Reports every intact record in order and returns the length of the valid prefix:
    /// scanning stops at the first record that is cut short, fails a CRC, or is not a record at
    /// all (garbage, zeros). Everything from there on is a torn tail.</summary>
    public static long Scan(string path, Action<ScannedRecord> onRecord)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
            1 << 20, FileOptions.SequentialScan);
        var length = file.Length;
        var header = new byte[SegmentRecord.HeaderSize];
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            long pos = 0;
            while (pos + SegmentRecord.HeaderSize <= length)
            {
                file.Position = pos;
                file.ReadExactly(header);
                if (SegmentRecord.Parse(header) is not { } h) break;
                var total = SegmentRecord.HeaderSize + h.MetaLength + h.BodyLength;
                if (pos + total > length) break;
                var meta = new byte[h.MetaLength];
                file.ReadExactly(meta);
                if (SegmentRecord.HeaderCrc(header, meta) != h.HeaderCrc) break;
                if (BodyCrc(file, h.BodyLength, chunk) != h.BodyCrc) break;
                // Intact but undecodable (a bug, not a torn write): skipped, the rest is still read.
                if (Decode(h.Kind, meta) is var (id, envelope))
                    onRecord(new ScannedRecord(h.Kind, id, envelope, pos + SegmentRecord.HeaderSize + h.MetaLength,
                        h.BodyLength, h.BodyCrc, total));
                pos += total;
            }
            return pos;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static uint BodyCrc(FileStream file, long length, byte[] chunk)
    {
        var crc = Crc32C.Seed;
        while (length > 0)
        {
            var n = file.Read(chunk, 0, (int)Math.Min(chunk.Length, length));
            if (n == 0) throw new EndOfStreamException();
            crc = Crc32C.Append(crc, chunk.AsSpan(0, n));
            length -= n;
        }
        return Crc32C.Finish(crc);
    }

    private static (string Id, Envelope? Envelope)? Decode(RecordKind kind, byte[] meta)
    {
        var id = Encoding.ASCII.GetString(meta, 0, QueueIdGenerator.Length);
        if (!QueueIdGenerator.IsValid(id)) return null;
        var json = meta.AsSpan(QueueIdGenerator.Length);
        var needsEnvelope = kind is not (RecordKind.Delete or RecordKind.Dead);
        if (!needsEnvelope) return json.IsEmpty ? (id, null) : null;
        try
        {
            return JsonSerializer.Deserialize(json, EnvelopeJsonContext.Default.Envelope) is { } env ? (id, env) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
