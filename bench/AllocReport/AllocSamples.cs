using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace AllocReport;

/// <summary>The AllocationTick events of a trace, summed by type and by attributed frame.</summary>
public sealed class AllocSamples
{
    public long Ticks { get; private set; }
    public long TicksWithStack { get; private set; }
    public long Bytes { get; private set; }
    public TimeSpan Duration { get; private set; }
    public Dictionary<string, long> ByType { get; } = [];
    public Dictionary<string, long> ByFrame { get; } = [];
    /// <summary>Bytes by the leaf managed frame: the allocation site itself, mostly runtime code.</summary>
    public Dictionary<string, long> ByLeaf { get; } = [];
    /// <summary>Bytes per whole second of the trace: shows how much of the window was load.</summary>
    public List<long> BySecond { get; } = [];
    /// <summary>Bytes per (frame, type): which type each attributed frame mostly allocates.</summary>
    public Dictionary<(string Frame, string Type), long> ByFrameAndType { get; } = [];

    public static AllocSamples Read(string nettracePath)
    {
        // Stacks (data.CallStack()) are only available through TraceLog, which first converts
        // the trace to an .etlx file. Managed frames are named from the method load and rundown
        // events in the trace (dotnet-trace collects rundown by default), no symbol files needed.
        var etlx = Path.Combine(Path.GetTempPath(), $"allocreport-{Environment.ProcessId}.etlx");
        try
        {
            TraceLog.CreateFromEventPipeDataFile(nettracePath, etlx);
            var result = new AllocSamples();
            using (var log = new TraceLog(etlx))
            using (var source = log.Events.GetSource())
            {
                result.Duration = log.SessionDuration;
                source.Clr.GCAllocationTick += result.Add;
                source.Process();
            }
            return result;
        }
        finally
        {
            File.Delete(etlx);
        }
    }

    private void Add(GCAllocationTickTraceData data)
    {
        // AllocationAmount64 is the full amount; AllocationAmount is a 32-bit copy of it.
        var bytes = data.AllocationAmount64;
        var type = string.IsNullOrEmpty(data.TypeName) ? "(unknown type)" : data.TypeName;
        Ticks++;
        Bytes += bytes;
        Increment(ByType, type, bytes);
        var second = (int)data.TimeStampRelativeMSec / 1000;
        while (BySecond.Count <= second)
            BySecond.Add(0);
        BySecond[second] += bytes;

        var stack = data.CallStack();
        if (stack is null)
            return;
        TicksWithStack++;
        Increment(ByLeaf, Attribution.Leaf(stack), bytes);
        var frame = Attribution.FirstOwnFrame(stack);
        Increment(ByFrame, frame, bytes);
        Increment(ByFrameAndType, (frame, type), bytes);
    }

    private static void Increment<TKey>(Dictionary<TKey, long> totals, TKey key, long bytes) where TKey : notnull =>
        totals[key] = totals.GetValueOrDefault(key) + bytes;
}
