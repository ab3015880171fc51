namespace Bulwark.EndToEnd.Tests.Infrastructure;

public static class Send
{
    /// <summary>Sends one small message over a raw socket and returns the final reply.</summary>
    public static async Task<string?> MessageAsync(int port, string recipient, string subject, string source = "127.0.0.1")
    {
        using var client = await RawSmtpClient.ConnectAsync(port, source);
        var greeting = await client.ReadReplyAsync();
        if (greeting is null || !greeting.StartsWith("220")) return greeting;
        await client.CommandAsync("EHLO client.test");
        await client.CommandAsync("MAIL FROM:<sender@remote.test>");
        var rcpt = await client.CommandAsync($"RCPT TO:<{recipient}>");
        if (rcpt is null || !rcpt.StartsWith("250")) return rcpt;
        await client.CommandAsync("DATA");
        await client.SendAsync($"Subject: {subject}\r\n\r\nbody of {subject}\r\n.\r\n");
        var final = await client.ReadReplyAsync();
        await client.SendAsync("QUIT\r\n");
        return final;
    }

    /// <summary>Unknown recipients from one source address: each is a strike for that IP. Returns
    /// when the last 550 arrived, i.e. when the node has counted the last strike.</summary>
    public static async Task StrikesAsync(int port, string source, int unknownRecipients)
    {
        using var client = await RawSmtpClient.ConnectAsync(port, source);
        Assert.StartsWith("220", await client.ReadReplyAsync());
        await client.CommandAsync("EHLO attacker.test");
        await client.CommandAsync("MAIL FROM:<spam@remote.test>");
        for (var i = 0; i < unknownRecipients; i++)
            Assert.StartsWith("550 5.1.1", await client.CommandAsync($"RCPT TO:<guess{i}@example.test>"));
        await client.SendAsync("QUIT\r\n");
    }
}
