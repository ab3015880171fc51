namespace AllocReport;

/// <summary>Prints the sums of <see cref="AllocSamples"/> as markdown tables.</summary>
public static class MarkdownReport
{
    public static void Write(TextWriter o, string traceName, AllocSamples s, long messages, int top)
    {
        o.WriteLine($"## Allocations in {traceName}");
        o.WriteLine();
        if (s.Ticks == 0)
        {
            o.WriteLine("No GC AllocationTick events: record with `dotnet-trace collect --profile gc-verbose`.");
            return;
        }
        o.WriteLine($"- sampled allocations: {MB(s.Bytes)} MB in {s.Ticks:N0} AllocationTick events over {s.Duration.TotalSeconds:F1} s of trace");
        if (messages > 0)
            o.WriteLine($"- per message ({messages:N0} messages): {KB(s.Bytes / (double)messages)} KB (everything the process allocated while tracing, divided by the messages)");
        o.WriteLine($"- events with a stack: {s.TicksWithStack:N0} of {s.Ticks:N0}");
        o.WriteLine($"- MB per second of trace: {string.Join(" ", s.BySecond.Select(b => MB(b)))}");
        o.WriteLine();

        o.WriteLine($"### Top {top} allocated types");
        o.WriteLine();
        Table(o, "Type", s.ByType, s.Bytes, messages, top, _ => null);

        if (s.TicksWithStack == 0)
        {
            o.WriteLine("No stacks in the trace, so no attribution to frames.");
            return;
        }
        o.WriteLine($"### Top {top} first frames outside the .NET runtime libraries");
        o.WriteLine();
        Table(o, "Frame (module!method)", s.ByFrame, s.Bytes, messages, top, frame => MainType(s, frame));

        o.WriteLine($"### Top {top} allocation sites (leaf managed frame)");
        o.WriteLine();
        Table(o, "Frame (module!method)", s.ByLeaf, s.Bytes, messages, top, _ => null);
    }

    private static void Table(TextWriter o, string what, Dictionary<string, long> totals, long all, long messages,
        int top, Func<string, string?> mainType)
    {
        var perMessage = messages > 0;
        var withType = totals.Keys.Select(mainType).Any(t => t is not null);
        o.WriteLine($"| {what} | MB | share % |{(perMessage ? " KB/message |" : "")}{(withType ? " mostly allocates |" : "")}");
        o.WriteLine($"|---|---:|---:|{(perMessage ? "---:|" : "")}{(withType ? "---|" : "")}");
        foreach (var (key, bytes) in totals.OrderByDescending(kv => kv.Value).Take(top))
        {
            o.Write($"| {Escape(key)} | {MB(bytes)} | {100.0 * bytes / all:F1} |");
            if (perMessage)
                o.Write($" {KB(bytes / (double)messages)} |");
            if (withType)
                o.Write($" {Escape(mainType(key) ?? "")} |");
            o.WriteLine();
        }
        o.WriteLine();
    }

    /// <summary>The type with the most bytes under this frame, and its share of the frame.</summary>
    private static string MainType(AllocSamples s, string frame)
    {
        var types = s.ByFrameAndType.Where(kv => kv.Key.Frame == frame).ToList();
        var best = types.MaxBy(kv => kv.Value);
        var frameBytes = types.Sum(kv => kv.Value);
        return $"{best.Key.Type} ({100.0 * best.Value / frameBytes:F0}%)";
    }

    private static string MB(double bytes) => (bytes / 1048576).ToString("F1");
    private static string KB(double bytes) => (bytes / 1024).ToString("F1");

    // Generic names (List`1[System.String]) and signatures are fine in markdown; pipes are not.
    private static string Escape(string text) => text.Replace("|", "\\|");
}
