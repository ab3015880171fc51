using System.Net.Sockets;
using System.Text;

namespace Bulwark.Actors.Tests.Fuzz;

/// <summary>A plain, correct conversation: after any amount of fuzz the node must still take
/// a normal message and store exactly what was sent, under its trace header.</summary>
public static class FinalCheck
{
    public static async Task SendsANormalMessageAsync(FuzzNode node)
    {
        var subject = $"final check {Guid.NewGuid():N}";
        var replies = await ConverseAsync(node,
            $"EHLO client.test\r\nMAIL FROM:<{FuzzNode.KeptSender}> BODY=8BITMIME\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n",
            $"Subject: {subject}\r\nFrom: <{FuzzNode.KeptSender}>\r\n\r\nHello.\r\n..leading dot\r\n.\r\nQUIT\r\n");
        Assert.Equal(
            ["220 mx.test ESMTP Bulwark", "250-mx.test greets client.test", "250-PIPELINING", $"250-SIZE {node.Limits.MaxMessageBytes}",
             "250-8BITMIME", "250-ENHANCEDSTATUSCODES", "250 SMTPUTF8", "250 2.1.0 sender OK", "250 2.1.5 recipient OK",
             "354 end data with <CR><LF>.<CR><LF>"], replies[..10]);
        Assert.StartsWith("250 2.0.0 queued as ", replies[10]);
        Assert.Equal("221 2.0.0 bye", replies[11]);
        Assert.Equal(12, replies.Count);

        var queueId = replies[10]["250 2.0.0 queued as ".Length..];
        var deadline = DateTime.UtcNow.AddSeconds(5);
        Delivery.Enqueued? kept;
        while ((kept = node.Kept.FirstOrDefault(k => k.QueueId == queueId)) is null && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.NotNull(kept);
        Assert.Equal(["alice@example.test"], kept.Envelope!.Recipients);
        using var body = new StreamReader(node.Spool.OpenBody(queueId), Encoding.UTF8);
        var text = await body.ReadToEndAsync();
        Assert.StartsWith("Received: from client.test ([127.0.0.1])\r\n\tby mx.test (Bulwark) with ESMTP id " + queueId, text);
        Assert.EndsWith($"Subject: {subject}\r\nFrom: <{FuzzNode.KeptSender}>\r\n\r\nHello.\r\n.leading dot\r\n", text);
        node.Spool.Delete(queueId);
    }

    /// <summary>Sends <paramref name="first"/>, waits for its replies to start, sends the rest; returns every reply line until close.</summary>
    public static async Task<List<string>> ConverseAsync(FuzzNode node, params string[] writes)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket.ConnectAsync(node.Endpoint, timeout.Token);
        var problems = new List<string>();
        var reader = new ReplyReader(socket, problems.Add);
        var lines = new List<string>(await reader.ReadReplyAsync(timeout.Token) ?? []);
        foreach (var write in writes)
        {
            await socket.SendAsync(Encoding.Latin1.GetBytes(write), SocketFlags.None, timeout.Token);
            // Read the replies this write caused before the next write: one per LF-ended command line.
            var expected = write == writes[^1] ? int.MaxValue : write.Count(c => c == '\n');
            for (var i = 0; i < expected && await reader.ReadReplyAsync(timeout.Token) is { } reply; i++) lines.AddRange(reply);
        }
        Assert.Empty(problems);
        return lines;
    }
}
