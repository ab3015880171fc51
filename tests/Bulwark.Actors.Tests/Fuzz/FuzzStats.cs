using System.Collections.Concurrent;

namespace Bulwark.Actors.Tests.Fuzz;

/// <summary>Counters shared by the fuzz workers, and the violations they found (the first
/// hundred in full, with the connection seed that reproduces each).</summary>
public sealed class FuzzStats
{
    public long Lines, Bodies, BodiesAccepted, BodiesRefused, BodiesAborted, Connections, MutatedLines, OverlongLines, ByteByByte, ViolationCount;
    public readonly ConcurrentDictionary<string, long> ReplyCodes = new();
    public readonly ConcurrentQueue<string> Violations = new();
    /// <summary>Replay one connection with BULWARK_FUZZ_REPLAY=seed:wantBodies.</summary>
    public void Violation(int connectionSeed, bool wantBodies, string what)
    {
        if (Interlocked.Increment(ref ViolationCount) <= 100)
            Violations.Enqueue($"[BULWARK_FUZZ_REPLAY={connectionSeed}:{wantBodies}] {what}");
    }

    public void Reply(string line) => ReplyCodes.AddOrUpdate(line.Length >= 3 ? line[..3] : line, 1, (_, n) => n + 1);

    public string Summary() =>
        $"lines={Lines} bodies={Bodies} (accepted={BodiesAccepted} refused={BodiesRefused}) aborted-bodies={BodiesAborted} " +
        $"connections={Connections} mutated={MutatedLines} overlong={OverlongLines} byte-by-byte={ByteByByte} violations={ViolationCount}\n" +
        "reply codes: " + string.Join(" ", ReplyCodes.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}:{kv.Value}"));
}
