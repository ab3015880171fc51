using System.Security.Cryptography;

namespace Bulwark.Delivery.Spool;

/// <summary>
/// Queue ids: 18 characters of Crockford base32 (digits and upper-case letters without I, L, O, U),
/// so they are filename-safe on every file system and sort by time as plain strings:
/// <list type="bullet">
/// <item>10 chars: milliseconds since the Unix epoch (50 bits, good until the year 37000);</item>
/// <item>4 chars: a per-process counter (20 bits, wraps), which orders ids made in the same
/// millisecond and keeps them unique up to a million ids per millisecond;</item>
/// <item>4 chars: a random node tag (20 bits) drawn once per generator, so two processes (or two
/// nodes sharing a spool volume) do not collide even with the same clock and counter.</item>
/// </list>
/// </summary>
public sealed class QueueIdGenerator
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    public const int Length = 18;

    private readonly string _nodeTag;
    private readonly Func<DateTimeOffset> _clock;
    private long _counter;

    public QueueIdGenerator(Func<DateTimeOffset>? clock = null)
    {
        _clock = clock ?? (() => DateTimeOffset.UtcNow);
        _nodeTag = Encode((ulong)RandomNumberGenerator.GetInt32(1 << 20), 4);
        _counter = RandomNumberGenerator.GetInt32(1 << 20);
    }

    public string Next()
    {
        var ms = (ulong)Math.Max(0, _clock().ToUnixTimeMilliseconds());
        var n = (ulong)Interlocked.Increment(ref _counter) & 0xFFFFF;
        return string.Concat(Encode(ms, 10), Encode(n, 4), _nodeTag);
    }

    /// <summary>True when the name looks like one of our ids (guards file names read back from disk).</summary>
    /// <summary>The id itself when it is one; otherwise an ArgumentException (ids become file names).</summary>
    public static string Checked(string queueId) =>
        IsValid(queueId) ? queueId : throw new ArgumentException($"not a queue id: '{queueId}'", nameof(queueId));

    public static bool IsValid(string id) =>
        id.Length == Length && id.All(c => Alphabet.Contains(c));

    private static string Encode(ulong value, int chars)
    {
        Span<char> buf = stackalloc char[chars];
        for (var i = chars - 1; i >= 0; i--)
        {
            buf[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }
        return new string(buf);
    }
}
