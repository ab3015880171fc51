using System.Buffers.Binary;
using System.Numerics;

namespace Bulwark.Delivery.Spool.Segments;

/// <summary>CRC-32C (Castagnoli) over spans, on the CPU's CRC32 instruction through
/// <see cref="BitOperations.Crc32C(uint, ulong)"/> (software fallback inside the runtime), so the
/// spool needs no hashing package. Usage: crc = Append(Seed, a); crc = Append(crc, b); Finish(crc).</summary>
internal static class Crc32C
{
    public const uint Seed = 0xFFFFFFFFu;

    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (var b in data) crc = BitOperations.Crc32C(crc, b);
        return crc;
    }

    public static uint Finish(uint crc) => ~crc;

    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Append(Seed, data));
}
