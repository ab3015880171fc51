using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Bulwark.Bench.Metrics;
using Bulwark.Node.Admin;
using Bulwark.Telemetry;

// The cost of one labelled counter increment as the SMTP path makes it (a verdict: three labels;
// a connection: one), before and after the move to System.Diagnostics.Metrics, in one process.
// Single thread, Stopwatch over a loop, the median of several runs; allocation from the
// thread's allocated-bytes counter over the same loop.
var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5_000_000;
const int Runs = 7;

var handWritten = new HandWrittenCounter();
using var idleMeter = new Meter("Bulwark.Bench.Idle");
var idle = new MetricCatalog(idleMeter);
using var listenedMeter = new Meter("Bulwark.Bench.Listened");
var listened = new MetricCatalog(listenedMeter);
// The node's own pipeline: the OpenTelemetry SDK with the Prometheus exporter listens.
using var endpoint = new MetricsEndpoint(listened);
var idleVerdicts = idle.Counter("b_verdicts_total", "v", "phase", "code", "enhanced");
var idleConnections = idle.Counter("b_connections_total", "c", "result");
var verdicts = listened.Counter("b_verdicts_total", "v", "phase", "code", "enhanced");
var connections = listened.Counter("b_connections_total", "c", "result");
// What a call site without the facade would write: a TagList per call, the code as an int.
var raw = listenedMeter.CreateCounter<long>("b_raw_total");

(string Name, Action Increment)[] cases =
[
    ("before: hand-written counter, 3 labels (verdict)", () => handWritten.Labels("rcpt", "550", "5.1.1").Inc()),
    ("before: hand-written counter, 1 label (connection)", () => handWritten.Labels("accepted").Inc()),
    ("after: facade, no listener, 3 labels", () => idleVerdicts.Labels("rcpt", "550", "5.1.1").Inc()),
    ("after: facade, no listener, 1 label", () => idleConnections.Labels("accepted").Inc()),
    ("after: facade, OpenTelemetry SDK listening, 3 labels", () => verdicts.Labels("rcpt", "550", "5.1.1").Inc()),
    ("after: facade, OpenTelemetry SDK listening, 1 label", () => connections.Labels("accepted").Inc()),
    ("no facade: Counter<long>.Add with a TagList, int code (boxed), SDK listening", () =>
        raw.Add(1, new TagList { { "phase", "rcpt" }, { "code", 550 }, { "enhanced", "5.1.1" } })),
];

Console.WriteLine($"{iterations:N0} increments per run, median of {Runs} runs, {Environment.ProcessorCount} CPUs, {Environment.Version}");
Console.WriteLine();
Console.WriteLine("| path | ns per increment | bytes allocated per increment |");
Console.WriteLine("| --- | ---: | ---: |");
foreach (var (name, increment) in cases)
{
    for (var i = 0; i < 100_000; i++) increment();   // tier-up and bind the series
    var nanos = new List<double>();
    var bytes = new List<double>();
    for (var run = 0; run < Runs; run++)
    {
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < iterations; i++) increment();
        var elapsed = Stopwatch.GetElapsedTime(started);
        bytes.Add((GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / (double)iterations);
        nanos.Add(elapsed.TotalNanoseconds / iterations);
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {Median(nanos):F1} | {Median(bytes):F1} |"));
}

// The counts must have gone somewhere, or the loops could be measuring nothing.
if (verdicts.Labels("rcpt", "550", "5.1.1").Value == 0 || handWritten.Labels("accepted").Value == 0)
    throw new InvalidOperationException("nothing was counted");

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted[sorted.Count / 2];
}
