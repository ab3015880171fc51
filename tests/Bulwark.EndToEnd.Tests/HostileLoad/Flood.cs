using System.Collections.Concurrent;
using System.Diagnostics;

namespace Bulwark.EndToEnd.Tests.HostileLoad;

/// <summary>What a connection flood got back, by the first line of each reply.</summary>
public sealed record FloodResult(int Attempts, TimeSpan Elapsed, IReadOnlyDictionary<string, int> Replies, int ClosedUnread, IReadOnlyList<string> Errors)
{
    public double OfferedPerSecond => Attempts / Elapsed.TotalSeconds;
    public int Count(string prefix) => Replies.Where(r => r.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(r => r.Value);
}

/// <summary>
/// A connection flood: as many connections as <c>inFlight</c> workers can open, round-robin over
/// the source addresses. Most read the first reply and close; every <c>dropEvery</c>-th closes at
/// once without reading, the cheapest thing an attacker can do (the node then writes its greeting
/// into a dead socket).
/// </summary>
public static class Flood
{
    public static async Task<FloodResult> RunAsync(int port, IReadOnlyList<string> sources, int total, int inFlight, int dropEvery = 4)
    {
        var next = -1;
        var replies = new ConcurrentDictionary<string, int>();
        var errors = new ConcurrentQueue<string>();
        var unread = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, inFlight).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                try
                {
                    using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                    using var socket = await LineSocket.ConnectAsync(port, sources[i % sources.Count], cancel.Token);
                    if (dropEvery > 0 && i % dropEvery == dropEvery - 1)
                    {
                        Interlocked.Increment(ref unread);
                        continue;
                    }
                    var reply = await socket.ReadReplyAsync(TimeSpan.FromSeconds(60));
                    // Code and enhanced code only: the text after them is not what is being counted.
                    var key = reply is null ? "(closed without a reply)" : string.Join(' ', reply.Split(' ').Take(2));
                    replies.AddOrUpdate(key, 1, (_, n) => n + 1);
                }
                catch (Exception e)
                {
                    errors.Enqueue($"#{i} from {sources[i % sources.Count]}: {e.GetType().Name}: {e.Message}");
                }
            }
        })).ToList();
        await Task.WhenAll(workers);
        return new FloodResult(total, clock.Elapsed, new Dictionary<string, int>(replies), unread, errors.ToList());
    }
}
