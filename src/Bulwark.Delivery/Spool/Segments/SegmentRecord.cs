using System.Buffers.Binary;
using System.Text;

namespace Bulwark.Delivery.Spool.Segments;

/// <summary>What a log record says about one queue id.</summary>
internal enum RecordKind : byte
{
    /// <summary>A new message: envelope and body. The 250 goes out after it is fsynced.</summary>
    Commit = 1,
    /// <summary>New envelope after a failed attempt (durable).</summary>
    Update = 2,
    /// <summary>Delivered: gone. Not fsynced by itself (a lost delete = one more delivery).</summary>
    Delete = 3,
    /// <summary>Moved into dead/ (durable; the dead/ files were written and fsynced before it).</summary>
    Dead = 4,
    /// <summary>A dead letter moved back into the queue: envelope and body again.</summary>
    Requeue = 5,
    /// <summary>Compaction: a live message copied forward out of an old segment.</summary>
    Carry = 6,
}

/// <summary>
/// On-disk framing of one record, little endian, 32-byte header then meta then body:
/// <code>
///  0 magic "BWSG"   4 kind   5 version (1)   6 reserved (2)   8 meta length (u32)
/// 12 body CRC-32C  16 body length (i64)     24 header CRC-32C over bytes 0..24 and the meta
/// 28 reserved (4)  32 meta = queue id (18 ASCII) + envelope JSON (empty for Delete/Dead)
/// </code>
/// Two CRCs so the body's can be computed while the session streams it in (no second pass over
/// a large message) and the header's covers everything that says where the next record starts.
/// A header that fails any check marks the end of the valid log (a torn tail after a crash).
/// </summary>
internal static class SegmentRecord
{
    public const int HeaderSize = 32;
    public const uint Magic = 0x47535742; // "BWSG" read as little endian
    public const byte Version = 1;
    public const int MaxMetaLength = 1 << 20;

    public static bool HasBody(RecordKind kind) => kind is RecordKind.Commit or RecordKind.Requeue or RecordKind.Carry;

    public static byte[] Meta(string queueId, byte[]? envelopeJson)
    {
        var meta = new byte[QueueIdGenerator.Length + (envelopeJson?.Length ?? 0)];
        Encoding.ASCII.GetBytes(queueId, meta);
        envelopeJson?.CopyTo(meta, QueueIdGenerator.Length);
        return meta;
    }

    public static byte[] Header(RecordKind kind, ReadOnlySpan<byte> meta, long bodyLength, uint bodyCrc)
    {
        var h = new byte[HeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(h, Magic);
        h[4] = (byte)kind;
        h[5] = Version;
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(8), (uint)meta.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(12), bodyCrc);
        BinaryPrimitives.WriteInt64LittleEndian(h.AsSpan(16), bodyLength);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(24), HeaderCrc(h, meta));
        return h;
    }

    public static uint HeaderCrc(ReadOnlySpan<byte> header, ReadOnlySpan<byte> meta) =>
        Crc32C.Finish(Crc32C.Append(Crc32C.Append(Crc32C.Seed, header[..24]), meta));

    /// <summary>Parsed fixed part of a header; null when it is not a plausible record start.</summary>
    public static (RecordKind Kind, int MetaLength, long BodyLength, uint BodyCrc, uint HeaderCrc)? Parse(ReadOnlySpan<byte> h)
    {
        if (h.Length < HeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(h) != Magic || h[5] != Version) return null;
        var kind = (RecordKind)h[4];
        if (!Enum.IsDefined(kind)) return null;
        var metaLength = BinaryPrimitives.ReadUInt32LittleEndian(h[8..]);
        var bodyLength = BinaryPrimitives.ReadInt64LittleEndian(h[16..]);
        if (metaLength < QueueIdGenerator.Length || metaLength > MaxMetaLength || bodyLength < 0) return null;
        if (!HasBody(kind) && bodyLength != 0) return null;
        return (kind, (int)metaLength, bodyLength, BinaryPrimitives.ReadUInt32LittleEndian(h[12..]),
            BinaryPrimitives.ReadUInt32LittleEndian(h[24..]));
    }
}
