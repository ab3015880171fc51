using System.Diagnostics;
using Bulwark.EndToEnd.Tests.Infrastructure;

namespace Bulwark.EndToEnd.Tests.Farm;

/// <summary>SMTP moves the farm tests need besides strikes (<see cref="Send.StrikesAsync"/>): probing a refusal.</summary>
public static class FarmSmtp
{
    public const string BlockedReply = "421 4.7.0 too much abuse from your address, try again later";

    /// <summary>The first reply a new connection from this source gets (the greeting or a refusal).</summary>
    public static async Task<string?> FirstReplyAsync(int port, string source)
    {
        using var client = await RawSmtpClient.ConnectAsync(port, source);
        var reply = await client.ReadReplyAsync(TimeSpan.FromSeconds(10));
        if (reply?.StartsWith("220") == true) await client.SendAsync("QUIT\r\n");
        return reply;
    }

    /// <summary>Polls new connections until one is refused as blocked; returns the time it took
    /// from <paramref name="since"/>, or null when none was refused within the timeout.</summary>
    public static async Task<TimeSpan?> WaitRefusedAsync(int port, string source, Stopwatch since, TimeSpan timeout)
    {
        while (since.Elapsed < timeout)
        {
            if (await FirstReplyAsync(port, source) == BlockedReply) return since.Elapsed;
            await Task.Delay(20);
        }
        return null;
    }
}
