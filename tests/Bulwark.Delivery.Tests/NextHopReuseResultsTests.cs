using Bulwark.Delivery.Transports;
using static Bulwark.Delivery.Tests.NextHopConnectionPoolTests;

namespace Bulwark.Delivery.Tests;

/// <summary>Per-recipient outcomes are those of a one-connection-per-message transport, and a
/// session that only saw refusals (MailKit sends RSET) is reused.</summary>
public sealed class NextHopReuseResultsTests
{
    [Fact]
    public async Task Mixed_550_and_250_recipients_keep_their_own_outcomes_on_a_reused_session()
    {
        await using var server = new NextHopTestServer();
        server.RcptReplies["gone@example.com"] = "550 5.1.1 no such user";
        server.RcptReplies["busy@example.com"] = "452 4.2.2 mailbox full";
        await using var transport = Transport(server.Port);
        for (var i = 0; i < 3; i++)
        {
            var results = await Send(transport, $"m{i}", "bob@example.com", "gone@example.com", "busy@example.com");
            Assert.Equal(["bob@example.com", "gone@example.com", "busy@example.com"], results.Select(r => r.Recipient));
            Assert.Equal([RecipientOutcome.Delivered, RecipientOutcome.Failed, RecipientOutcome.Deferred], results.Select(r => r.Outcome));
            Assert.Contains("550", results[1].Detail);
            Assert.Contains("452", results[2].Detail);
        }
        Assert.Equal(1, server.Connections);
        Assert.All(server.Messages, m => Assert.Equal(["bob@example.com"], m.Recipients));
    }

    [Fact]
    public async Task All_recipients_refused_gives_their_own_outcomes_and_the_session_is_reused()
    {
        await using var server = new NextHopTestServer();
        server.RcptReplies["gone@example.com"] = "550 5.1.1 no such user";
        server.RcptReplies["busy@example.com"] = "451 4.3.0 try later";
        await using var transport = Transport(server.Port);
        var results = await Send(transport, "m1", "gone@example.com", "busy@example.com");
        Assert.Equal([RecipientOutcome.Failed, RecipientOutcome.Deferred], results.Select(r => r.Outcome));
        Assert.Contains("550", results[0].Detail);
        Assert.Contains("451", results[1].Detail);
        Assert.Equal(RecipientOutcome.Delivered, Assert.Single(await Send(transport, "m2")).Outcome);
        Assert.Equal(1, server.Connections);
        Assert.Equal(["m2"], server.Messages.Select(m => m.Subject));
    }

    [Fact]
    public async Task A_5xx_at_MAIL_fails_everyone_and_the_session_is_reused()
    {
        await using var server = new NextHopTestServer();
        await using var transport = Transport(server.Port);
        server.MailReplies.Enqueue("550 5.7.1 sender refused");
        var results = await Send(transport, "m1", "bob@example.com", "carol@example.com");
        Assert.All(results, r => Assert.Equal(RecipientOutcome.Failed, r.Outcome));
        Assert.All(results, r => Assert.Contains("550", r.Detail));
        Assert.Equal(RecipientOutcome.Delivered, Assert.Single(await Send(transport, "m2")).Outcome);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task A_421_for_a_recipient_defers_it_and_retires_the_session()
    {
        await using var server = new NextHopTestServer();
        server.RcptReplies["busy@example.com"] = "421 4.7.0 too busy";
        await using var transport = Transport(server.Port);
        var results = await Send(transport, "m1", "bob@example.com", "busy@example.com");
        Assert.Equal([RecipientOutcome.Delivered, RecipientOutcome.Deferred], results.Select(r => r.Outcome));
        Assert.Equal(0, transport.IdleConnections);
        await Send(transport, "m2");
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public void Reuse_rules_follow_age_idle_time_message_count_and_pool_size()
    {
        var o = new SmtpNextHopOptions("h")
        {
            IdleTimeout = TimeSpan.FromSeconds(30), MaxConnectionAge = TimeSpan.FromMinutes(5), MaxMessagesPerConnection = 1000,
        };
        Assert.True(NextHopReuse.MayReuse(o, openedAtMs: 0, idleSinceMs: 1_000, transactions: 5, nowMs: 20_000));
        Assert.False(NextHopReuse.MayReuse(o, 0, 1_000, 5, 31_000));          // idle 30 s
        Assert.False(NextHopReuse.MayReuse(o, 0, 299_000, 5, 300_000));       // 5 min old
        Assert.False(NextHopReuse.MayReuse(o, 0, 1_000, 1000, 2_000));        // 1000 messages
        Assert.False(NextHopReuse.MayReuse(o with { PoolSize = 0 }, 0, 0, 0, 1));
        Assert.Equal(TimeSpan.FromSeconds(5), NextHopReuse.SweepInterval(o));
        Assert.Equal(TimeSpan.FromMilliseconds(50), NextHopReuse.SweepInterval(o with { IdleTimeout = TimeSpan.FromMilliseconds(10) }));
    }

    [Fact]
    public void Defaults_are_a_pool_of_eight_30s_idle_5min_age_1000_messages()
    {
        var o = new SmtpNextHopOptions("h");
        Assert.Equal(8, o.PoolSize);
        Assert.Equal(TimeSpan.FromSeconds(30), o.IdleTimeout);
        Assert.Equal(TimeSpan.FromMinutes(5), o.MaxConnectionAge);
        Assert.Equal(1000, o.MaxMessagesPerConnection);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SmtpNextHopTransport(o with { PoolSize = -1 }));
    }
}
