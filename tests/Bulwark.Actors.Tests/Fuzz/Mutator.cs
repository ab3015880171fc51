namespace Bulwark.Actors.Tests.Fuzz;

/// <summary>Byte-level mutation of a valid line: the near misses a grammar never produces.</summary>
public sealed class Mutator(Random random)
{
    private static readonly byte[] Interesting = [0, (byte)'\r', (byte)'\n', (byte)' ', (byte)'\t', (byte)':', (byte)'<', (byte)'>', (byte)'@', (byte)'"', (byte)'\\', (byte)'.', (byte)'=', 0x7F, 0x80, 0xC0, 0xFF];
    private readonly Random _r = random;

    /// <summary>One to three mutations of <paramref name="line"/>; <paramref name="other"/> is
    /// the donor for splicing.</summary>
    public byte[] Mutate(byte[] line, byte[] other)
    {
        var bytes = new List<byte>(line);
        var rounds = 1 + CommandGenerator.Weighted(_r, 6, 3, 1);
        for (var i = 0; i < rounds; i++) MutateOnce(bytes, other);
        return bytes.ToArray();
    }

    private void MutateOnce(List<byte> b, byte[] other)
    {
        var at = _r.Next(b.Count + 1);
        switch (_r.Next(8))
        {
            case 0 when b.Count > 0: // bit flip
                var i = _r.Next(b.Count);
                b[i] ^= (byte)(1 << _r.Next(8));
                break;
            case 1: // insert a random or an interesting byte
                b.Insert(at, _r.Next(2) == 0 ? (byte)_r.Next(256) : Interesting[_r.Next(Interesting.Length)]);
                break;
            case 2 when b.Count > 0: // delete a run
                var start = _r.Next(b.Count);
                b.RemoveRange(start, Math.Min(b.Count - start, 1 + _r.Next(4)));
                break;
            case 3 when b.Count > 0: // duplicate a run
                var from = _r.Next(b.Count);
                var run = b.GetRange(from, Math.Min(b.Count - from, 1 + _r.Next(16)));
                var times = _r.Next(10) == 0 ? _r.Next(50, 400) : 1;
                for (var t = 0; t < times; t++) b.InsertRange(from, run);
                break;
            case 4 when b.Count > 0: // truncate
                var cut = _r.Next(b.Count);
                b.RemoveRange(cut, b.Count - cut);
                break;
            case 5: // splice: our head, the donor's tail
                var head = Math.Min(at, b.Count);
                b.RemoveRange(head, b.Count - head);
                b.AddRange(other.Skip(_r.Next(other.Length + 1)));
                break;
            case 6 when b.Count > 0: // overwrite with an interesting byte
                b[_r.Next(b.Count)] = Interesting[_r.Next(Interesting.Length)];
                break;
            default: // case flip of an ASCII letter, or nothing on an empty line
                if (b.Count == 0) break;
                var j = _r.Next(b.Count);
                if (b[j] is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z') b[j] ^= 0x20;
                break;
        }
    }
}
