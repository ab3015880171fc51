using Bulwark.EndToEnd.Tests.Infrastructure;

namespace Bulwark.EndToEnd.Tests;

/// <summary>Call-ahead verification against real next hops (smtp-sink), one domain per behaviour.</summary>
public sealed class CallAheadTests
{
    private static Dictionary<string, string> Domain(int index, string name, int port) => new()
    {
        [$"BULWARK_Domains__{index}__Name"] = name,
        [$"BULWARK_Domains__{index}__RecipientsFile"] = "",
        [$"BULWARK_Domains__{index}__CallAhead__Enabled"] = "true",
        [$"BULWARK_Domains__{index}__CallAhead__Host"] = "127.0.0.1",
        [$"BULWARK_Domains__{index}__CallAhead__Port"] = port.ToString(),
        [$"BULWARK_Domains__{index}__CallAhead__TimeoutSeconds"] = "3",
    };

    [Fact]
    public async Task Recipients_are_verified_by_an_RCPT_probe_and_a_failed_probe_is_never_permanent()
    {
        using var accepting = new SmtpSink();
        using var refusing = new SmtpSink(null, "-f", "RCPT");
        accepting.Start();
        refusing.Start();
        var closedPort = FreePort.Next();
        var overrides = new Dictionary<string, string> { ["BULWARK_Reputation__Enabled"] = "false" };
        foreach (var (key, value) in Domain(1, "yes.test", accepting.Port)
                     .Concat(Domain(2, "no.test", refusing.Port))
                     .Concat(Domain(3, "down.test", closedPort)))
            overrides[key] = value;
        using var node = await BulwarkNode.StartAsync(overrides);

        using var client = await RawSmtpClient.ConnectAsync(node.SmtpPort);
        await client.ReadReplyAsync();
        await client.CommandAsync("EHLO client.test");
        await client.CommandAsync("MAIL FROM:<a@remote.test>");
        Assert.Equal("250 2.1.5 recipient OK", await client.CommandAsync("RCPT TO:<anyone@yes.test>"));
        Assert.Equal("550 5.1.1 no such user here", await client.CommandAsync("RCPT TO:<anyone@no.test>"));
        Assert.Equal("451 4.3.0 temporary failure, try again later", await client.CommandAsync("RCPT TO:<anyone@down.test>"));

        // The negative answer is cached: the refusing hop is not asked again.
        refusing.Stop();
        Assert.Equal("550 5.1.1 no such user here", await client.CommandAsync("RCPT TO:<anyone@no.test>"));
    }
}
