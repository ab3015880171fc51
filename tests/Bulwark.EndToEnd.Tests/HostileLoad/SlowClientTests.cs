using System.Diagnostics;
using Bulwark.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Bulwark.EndToEnd.Tests.HostileLoad;

/// <summary>
/// Issue #7, slow clients: a thousand slowloris connections from five IPs cost the node at most
/// MaxConnectionsPerIp sessions per IP, are cut at the command timeout, and do not starve a
/// legitimate client that sends mail meanwhile.
/// </summary>
public sealed class SlowClientTests(ITestOutputHelper output)
{
    private const int PerIpLimit = 20;           // Reputation:MaxConnectionsPerIp, the shipped default
    private const int CommandTimeoutSeconds = 10; // long enough that all 1000 connect before the first cut, even on a busy CI box
    private static readonly string[] Attackers = ["127.0.0.101", "127.0.0.102", "127.0.0.103", "127.0.0.104", "127.0.0.105"];
    private const string Legitimate = "127.0.0.120";

    [Fact]
    public async Task A_thousand_slow_clients_get_at_most_the_per_IP_limit_are_cut_at_the_command_timeout_and_do_not_starve_others()
    {
        const int slowClients = 1000;
        NodeProbe.RequireOpenFiles(slowClients + 200);
        using var node = await BulwarkNode.StartAsync(new Dictionary<string, string>
        {
            ["BULWARK_Smtp__CommandTimeoutSeconds"] = CommandTimeoutSeconds.ToString(),
            ["BULWARK_Reputation__MaxConnectionsPerIp"] = PerIpLimit.ToString(),
        });
        // One message first, so that JIT and the first spool write are not billed to the attack.
        Assert.StartsWith("250", await Send.MessageAsync(node.SmtpPort, "alice@example.test", "warm-up", Legitimate));

        var refusedSoFar = 0;
        var attack = Enumerable.Range(0, slowClients).Select(async i =>
        {
            var outcome = await SlowClient.RunAsync(node.SmtpPort, Attackers[i % Attackers.Length],
                byteEvery: TimeSpan.FromSeconds(2), giveUp: TimeSpan.FromSeconds(60));
            if (!outcome.Greeted) Interlocked.Increment(ref refusedSoFar);
            return outcome;
        }).ToList();

        // The attack is in place once every over-the-limit connection has been answered.
        var expectedRefusals = slowClients - PerIpLimit * Attackers.Length;
        var settle = Stopwatch.StartNew();
        while (Volatile.Read(ref refusedSoFar) < expectedRefusals && settle.Elapsed < TimeSpan.FromSeconds(30))
            await Task.Delay(50);
        var held = await NodeProbe.SampleAsync(node, "bulwark_smtp_sessions_active");
        output.WriteLine($"attack in place after {settle.Elapsed.TotalSeconds:F1} s: {refusedSoFar} refused, {held} sessions active");

        // A legitimate sender during the attack: 50 messages, one after the other.
        var legit = Stopwatch.StartNew();
        var firstLegitAt = 0L;
        for (var i = 0; i < 50; i++)
        {
            var reply = await Send.MessageAsync(node.SmtpPort, "alice@example.test", $"during the attack #{i}", Legitimate);
            Assert.True(reply?.StartsWith("250") == true, $"message {i} during the attack got: {reply}");
            if (i == 0) firstLegitAt = Stopwatch.GetTimestamp();
        }
        output.WriteLine($"50 legitimate messages in {legit.Elapsed.TotalSeconds:F2} s");

        var outcomes = await Task.WhenAll(attack);
        Assert.Empty(outcomes.Where(o => o.Error is not null).Select(o => o.Error).Take(5));
        var greeted = outcomes.Where(o => o.Greeted).ToList();
        var refused = outcomes.Where(o => !o.Greeted).ToList();
        var firstCut = greeted.Min(o => o.CutAt!.Value);
        // The count below is only exact if no slot was freed by a cut before every client had its answer.
        Assert.True(outcomes.Max(o => o.FirstReplyAt) < firstCut,
            "the machine was too slow: some clients were answered only after the first command timeout");
        Assert.True(firstLegitAt < firstCut, "the legitimate client's first message was not accepted while the slow clients were held");
        Assert.True(held >= PerIpLimit * Attackers.Length, $"only {held} sessions were held open by the attack");

        foreach (var ip in Attackers)
            Assert.Equal(PerIpLimit, greeted.Count(o => o.Source == ip));
        Assert.All(refused, o => Assert.Equal("421 4.7.0 too many connections from your address", o.FirstReply));
        var slowestRefusal = refused.Max(o => o.FirstReplyAfter);
        Assert.True(slowestRefusal < TimeSpan.FromSeconds(15), $"a refusal took {slowestRefusal}");

        Assert.All(greeted, o => Assert.Equal("421 4.4.2 timeout, closing connection", o.CutReply));
        var cutAfter = greeted.Select(o => o.CutAfterGreeting!.Value).ToList();
        output.WriteLine($"refusals answered within {slowestRefusal.TotalMilliseconds:F0} ms; slow sessions cut after {cutAfter.Min().TotalSeconds:F1}..{cutAfter.Max().TotalSeconds:F1} s");
        // The timeout runs from the greeting (the trickled bytes do not reset it). The client sees the
        // greeting a little after the node sent it, hence the slack below; the upper bound only says "not never".
        Assert.All(cutAfter, c => Assert.InRange(c.TotalSeconds, CommandTimeoutSeconds - 3, CommandTimeoutSeconds + 20));

        Assert.Equal(0, await NodeProbe.WaitForSessionsAsync(node, 0, TimeSpan.FromSeconds(20)));
        var metrics = await NodeProbe.MetricsAsync(node);
        Assert.True(NodeProbe.Sample(metrics, "bulwark_smtp_connections_total{result=\"busy\"}") >= expectedRefusals, metrics);
        Assert.True(NodeProbe.Sample(metrics, "bulwark_messages_accepted_total") >= 51, metrics);
        Assert.True(await NodeProbe.ReadyAsync(node));
    }
}
