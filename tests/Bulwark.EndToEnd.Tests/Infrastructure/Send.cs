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
}
