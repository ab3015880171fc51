using System.Diagnostics;

namespace Bulwark.EndToEnd.Tests.HostileLoad;

/// <summary>What one slow client saw: its first reply and, when it was greeted, how the node ended it.</summary>
/// <remarks>The *At times are Stopwatch timestamps, comparable across clients.</remarks>
public sealed record SlowOutcome(string Source, string? FirstReply, TimeSpan FirstReplyAfter, long FirstReplyAt,
    string? CutReply, TimeSpan? CutAfterGreeting, long? CutAt, string? Error)
{
    public bool Greeted => FirstReply?.StartsWith("220 ", StringComparison.Ordinal) == true;
}

/// <summary>
/// A slowloris SMTP client: connects, and when greeted sends "EHLO slow.example" one byte at a
/// time, never finishing the line, until the node gives up on it.
/// </summary>
public static class SlowClient
{
    private const string Trickle = "EHLO slow.example";

    public static async Task<SlowOutcome> RunAsync(int port, string source, TimeSpan byteEvery, TimeSpan giveUp)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using var cancel = new CancellationTokenSource(giveUp);
            using var socket = await LineSocket.ConnectAsync(port, source, cancel.Token);
            var first = await socket.ReadReplyAsync(giveUp);
            var firstAfter = clock.Elapsed;
            var firstAt = Stopwatch.GetTimestamp();
            if (first?.StartsWith("220 ", StringComparison.Ordinal) != true)
                return new SlowOutcome(source, first, firstAfter, firstAt, null, null, null, null);

            var cut = socket.ReadReplyAsync(giveUp);
            for (var i = 0; i < Trickle.Length && !cut.IsCompleted; i++)
            {
                if (!await socket.TrySendAsync(Trickle[i].ToString())) break;
                await Task.WhenAny(cut, Task.Delay(byteEvery));
            }
            var reply = await cut;
            return new SlowOutcome(source, first, firstAfter, firstAt, reply, clock.Elapsed - firstAfter, Stopwatch.GetTimestamp(), null);
        }
        catch (Exception e)
        {
            return new SlowOutcome(source, null, clock.Elapsed, Stopwatch.GetTimestamp(), null, null, null, $"{e.GetType().Name}: {e.Message}");
        }
    }
}
