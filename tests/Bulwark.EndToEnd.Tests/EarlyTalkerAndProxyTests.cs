using System.Diagnostics;
using Bulwark.EndToEnd.Tests.Infrastructure;

namespace Bulwark.EndToEnd.Tests;

/// <summary>The early-talker pause and the PROXY header, switched on from the node's settings.</summary>
public sealed class EarlyTalkerAndProxyTests
{
    [Fact]
    public async Task With_a_pause_a_client_that_talks_first_is_refused_and_a_patient_one_greeted()
    {
        using var node = await BulwarkNode.StartAsync(new Dictionary<string, string>
        {
            ["BULWARK_Smtp__PregreetSeconds"] = "1.5",
            ["BULWARK_Smtp__PregreetSkipNetworks"] = "127.0.0.99/32",
        });

        using (var eager = await RawSmtpClient.ConnectAsync(node.SmtpPort, "127.0.0.91"))
        {
            // Speaks at once, without waiting for the greeting's last line.
            await eager.SendAsync("EHLO eager.test\r\n");
            var lines = (await eager.ReadReplyAsync(TimeSpan.FromSeconds(5)) ?? "").Split('\n');
            Assert.StartsWith("220-", lines[0]);
            Assert.Equal("554 5.5.1 protocol violation: talked before the greeting", lines[^1]);
            Assert.True(await eager.IsClosedAsync(TimeSpan.FromSeconds(5)));
        }

        var clock = Stopwatch.StartNew();
        using (var patient = await RawSmtpClient.ConnectAsync(node.SmtpPort, "127.0.0.92"))
        {
            var greeting = await patient.ReadReplyAsync(TimeSpan.FromSeconds(10)) ?? "";
            Assert.StartsWith("220 ", greeting.Split('\n')[^1]);
            Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.4), $"greeted after {clock.Elapsed}");
            Assert.StartsWith("250", await patient.CommandAsync("EHLO patient.test"));
        }

        clock.Restart();
        using var skipped = await RawSmtpClient.ConnectAsync(node.SmtpPort, "127.0.0.99");
        Assert.StartsWith("220 ", await skipped.ReadReplyAsync(TimeSpan.FromSeconds(5)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"a skipped network waited {clock.Elapsed}");
    }

    [Fact]
    public async Task Behind_a_trusted_balancer_the_PROXY_header_names_the_client()
    {
        using var node = await BulwarkNode.StartAsync(new Dictionary<string, string>
        {
            ["BULWARK_Smtp__TrustedProxies"] = "127.0.0.95/32",
            // The claimed client is outside the trusted networks; no DNS server here to ask.
            ["BULWARK_Dns__Enabled"] = "false",
        });
        var subject = "proxied-" + Guid.NewGuid();

        using (var balancer = await RawSmtpClient.ConnectAsync(node.SmtpPort, "127.0.0.95"))
        {
            await balancer.SendAsync("PROXY TCP4 198.51.100.23 127.0.0.1 40000 25\r\n");
            Assert.StartsWith("220 ", await balancer.ReadReplyAsync());
            Assert.StartsWith("250", await balancer.CommandAsync("EHLO client.test"));
            Assert.StartsWith("250", await balancer.CommandAsync("MAIL FROM:<sender@remote.test>"));
            Assert.StartsWith("250", await balancer.CommandAsync("RCPT TO:<carol@example.test>"));
            Assert.StartsWith("354", await balancer.CommandAsync("DATA"));
            Assert.StartsWith("250", await balancer.CommandAsync($"Subject: {subject}\r\n\r\nbody\r\n."));
        }
        var inbox = Path.Combine(node.DataDirectory, "maildir", "example.test", "carol", "new");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string? message = null;
        while (message is null && DateTime.UtcNow < deadline)
        {
            message = Directory.Exists(inbox)
                ? Directory.GetFiles(inbox).Select(File.ReadAllText).FirstOrDefault(m => m.Contains(subject))
                : null;
            if (message is null) await Task.Delay(100);
        }
        Assert.NotNull(message);
        Assert.Contains("([198.51.100.23])", message);

        // The same header from a client that is not a trusted balancer is just a bad command.
        using var spoofer = await RawSmtpClient.ConnectAsync(node.SmtpPort, "127.0.0.96");
        Assert.StartsWith("220 ", await spoofer.ReadReplyAsync());
        Assert.StartsWith("500", await spoofer.CommandAsync("PROXY TCP4 198.51.100.23 127.0.0.1 40000 25"));
    }
}
