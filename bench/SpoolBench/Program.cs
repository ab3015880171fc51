using System.Diagnostics;
using System.Text;
using Bulwark.Delivery.Spool;
using Bulwark.Delivery.Spool.Segments;

// Fsynced commits per second of FileSpool and SegmentSpool under the same load: N writers, each
// committing messages of a given size back to back (Create, write body, CommitAsync) for a fixed
// time. The two spools alternate run by run so that background load on the machine hits both.
// usage: SpoolBench [--writers 20] [--bytes 2048] [--seconds 10] [--runs 3] [--dir <parent dir>]
var opts = Args.Parse(args);
var body = Encoding.ASCII.GetBytes(new string('x', opts.Bytes - 2) + "\r\n");
var results = new Dictionary<string, List<double>> { ["files"] = [], ["segments"] = [] };
Console.WriteLine($"spool-commit: {opts.Writers} writers, {opts.Bytes}-byte bodies, {opts.Seconds} s per run, {opts.Runs} runs, under {opts.Dir}");
for (var run = 1; run <= opts.Runs; run++)
{
    foreach (var kind in run % 2 == 1 ? new[] { "files", "segments" } : ["segments", "files"])
    {
        var root = Path.Combine(opts.Dir, $"spoolbench-{Environment.ProcessId}-{kind}-{run}");
        try
        {
            var rate = await Measure(kind, root);
            results[kind].Add(rate);
            Console.WriteLine($"run {run} {kind,-8} {rate,10:F0} commits/s");
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }
}
var files = Median(results["files"]);
var segments = Median(results["segments"]);
Console.WriteLine($"median   files    {files,10:F0} commits/s");
Console.WriteLine($"median   segments {segments,10:F0} commits/s");
Console.WriteLine($"ratio segments/files {segments / files:F1}x");
return 0;

async Task<double> Measure(string kind, string root)
{
    ISpool spool = kind == "files" ? new FileSpool(root) : new SegmentSpool(root);
    try
    {
        // Warm-up: JIT and first segment, not measured.
        for (var i = 0; i < 50; i++) await CommitOne(spool);
        long commits = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(opts.Seconds));
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, opts.Writers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await CommitOne(spool);
                Interlocked.Increment(ref commits);
            }
        })));
        return commits / sw.Elapsed.TotalSeconds;
    }
    finally
    {
        ((IDisposable)spool).Dispose();
    }
}

async Task CommitOne(ISpool spool)
{
    using var entry = spool.Create();
    await entry.Body.WriteAsync(body);
    await entry.CommitAsync(new Envelope(entry.QueueId, "bench@client.test", ["postmaster@example.test"], "127.0.0.1",
        "client.test", DateTimeOffset.UtcNow));
}

static double Median(List<double> xs)
{
    var s = xs.Order().ToList();
    return s.Count == 0 ? double.NaN : s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
}

internal sealed record Args(int Writers, int Bytes, int Seconds, int Runs, string Dir)
{
    public static Args Parse(string[] args)
    {
        var a = new Args(20, 2048, 10, 3, Path.GetTempPath());
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            a = args[i] switch
            {
                "--writers" => a with { Writers = int.Parse(args[i + 1]) },
                "--bytes" => a with { Bytes = Math.Max(2, int.Parse(args[i + 1])) },
                "--seconds" => a with { Seconds = int.Parse(args[i + 1]) },
                "--runs" => a with { Runs = int.Parse(args[i + 1]) },
                "--dir" => a with { Dir = args[i + 1] },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return a;
    }
}
