using AllocReport;

// What allocates in a .NET process, from an EventPipe trace with the GC AllocationTick events:
//   dotnet-trace collect -p PID --profile gc-verbose --duration 00:00:00:20 -o node.nettrace
//   AllocReport node.nettrace 3000 25 > node-alloc.md
// AllocationTick fires about once per 100 KB allocated and carries the bytes allocated since
// the previous tick, so summing those amounts estimates the total; the type named is the one
// that crossed the threshold, so per-type shares are a sample, good to a few percent only for
// types with many ticks. Run by bench/lib/alloc-profile.sh.
// usage: AllocReport <file.nettrace> [messages] [top]
if (args.Length is < 1 or > 3 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: AllocReport <file.nettrace> [messages] [top]");
    return 2;
}
var messages = args.Length > 1 ? long.Parse(args[1]) : 0;
var top = args.Length > 2 ? int.Parse(args[2]) : 25;

var samples = AllocSamples.Read(args[0]);
MarkdownReport.Write(Console.Out, Path.GetFileName(args[0]), samples, messages, top);
return samples.Ticks > 0 ? 0 : 1;
