using Bulwark.Delivery.Transports;

namespace Bulwark.Delivery.Tests;

/// <summary>Connection reuse of <see cref="SmtpNextHopTransport"/> against a real loopback next hop.</summary>
public sealed class NextHopConnectionPoolTests
{
    internal static SmtpNextHopTransport Transport(int port, Func<SmtpNextHopOptions, SmtpNextHopOptions>? tune = null)
    {
        var options = new SmtpNextHopOptions("127.0.0.1", port)
        {
            ConnectTimeout = TimeSpan.FromSeconds(3),
            CommandTimeout = TimeSpan.FromSeconds(5),
            HeloName = "bulwark.test",
        };
        return new SmtpNextHopTransport(tune is null ? options : tune(options));
    }

    internal static Task<IReadOnlyList<RecipientResult>> Send(SmtpNextHopTransport t, string subject, params string[] rcpts) =>
        t.DeliverAsync(TestMail.Envelope("0000000000000AAAAA", rcpts.Length == 0 ? ["bob@example.com"] : rcpts),
            new MemoryStream(TestMail.Message(subject)), CancellationToken.None);

    [Fact]
    public async Task Hundred_sequential_messages_use_one_connection()
    {
        await using var server = new NextHopTestServer();
        await using var transport = Transport(server.Port);
        for (var i = 0; i < 100; i++)
            Assert.Equal(RecipientOutcome.Delivered, Assert.Single(await Send(transport, $"m{i}")).Outcome);
        Assert.Equal(1, server.Connections);
        Assert.Equal(1, transport.ConnectionsOpened);
        Assert.Equal(100, server.Messages.Count);
        Assert.Equal(100, server.Mails);
    }

    [Fact]
    public async Task Hundred_messages_from_eight_concurrent_callers_use_at_most_eight_connections()
    {
        await using var server = new NextHopTestServer();
        await using var transport = Transport(server.Port);
        var next = -1;
        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) is var i && i < 100)
                Assert.Equal(RecipientOutcome.Delivered, Assert.Single(await Send(transport, $"m{i}")).Outcome);
        }));
        await Task.WhenAll(workers);
        Assert.InRange(server.Connections, 1, 8);
        Assert.Equal(100, server.Messages.Select(m => m.Subject).Distinct().Count());
        Assert.Equal(100, server.Messages.Count);
    }

    [Fact]
    public async Task An_idle_connection_is_closed_with_quit_after_the_idle_timeout()
    {
        await using var server = new NextHopTestServer();
        await using var transport = Transport(server.Port, o => o with { IdleTimeout = TimeSpan.FromMilliseconds(300) });
        await Send(transport, "m1");
        Assert.Equal(1, transport.IdleConnections);
        Assert.Equal(1, server.OpenNow);
        await TestMail.Eventually(() => server.Quits == 1 && server.OpenNow == 0, TimeSpan.FromSeconds(5), "idle session closed");
        Assert.Equal(0, transport.IdleConnections);
        Assert.Equal(RecipientOutcome.Delivered, Assert.Single(await Send(transport, "m2")).Outcome);
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task Server_dropping_a_pooled_connection_between_messages_is_invisible()
    {
        await using var server = new NextHopTestServer();
        await using var transport = Transport(server.Port);
        await Send(transport, "m1");
        await server.DropAllAsync();
        var results = await Send(transport, "m2");
        Assert.Equal(RecipientOutcome.Delivered, Assert.Single(results).Outcome);
        Assert.Equal(2, server.Connections);
        Assert.Equal(["m1", "m2"], server.Messages.Select(m => m.Subject));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_pooled_connection_dead_at_MAIL_is_retried_once_on_a_fresh_one(bool pipelining)
    {
        await using var server = new NextHopTestServer(pipelining);
        await using var transport = Transport(server.Port);
        await Send(transport, "m1");
        server.DropAtNextMails(1);
        var results = await Send(transport, "m2", "bob@example.com", "carol@example.com");
        Assert.All(results, r => Assert.Equal(RecipientOutcome.Delivered, r.Outcome));
        Assert.Equal(2, server.Connections);
        Assert.Equal(3, server.Mails);
        Assert.Equal(["m1", "m2"], server.Messages.Select(m => m.Subject));
    }

    [Fact]
    public async Task The_retry_happens_once_only_then_the_message_is_deferred()
    {
        await using var server = new NextHopTestServer();
        await using var transport = Transport(server.Port);
        await Send(transport, "m1");
        server.DropAtNextMails(2);
        var results = await Send(transport, "m2");
        Assert.Equal(RecipientOutcome.Deferred, Assert.Single(results).Outcome);
        Assert.Equal(2, server.Connections);
        Assert.Equal(3, server.Mails);
        Assert.Equal(0, transport.IdleConnections);
    }

    [Fact]
    public async Task A_fresh_connection_dead_at_MAIL_is_not_retried()
    {
        await using var server = new NextHopTestServer();
        await using var transport = Transport(server.Port);
        server.DropAtNextMails(1);
        Assert.Equal(RecipientOutcome.Deferred, Assert.Single(await Send(transport, "m1")).Outcome);
        Assert.Equal(1, server.Connections);
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task A_421_at_MAIL_defers_and_discards_the_connection()
    {
        await using var server = new NextHopTestServer();
        await using var transport = Transport(server.Port);
        await Send(transport, "m1");
        server.MailReplies.Enqueue("421 4.3.2 shutting down");
        var results = await Send(transport, "m2", "bob@example.com", "carol@example.com");
        Assert.All(results, r => Assert.Equal(RecipientOutcome.Deferred, r.Outcome));
        Assert.All(results, r => Assert.Contains("421", r.Detail));
        Assert.Equal(0, transport.IdleConnections);
        Assert.Equal(RecipientOutcome.Delivered, Assert.Single(await Send(transport, "m3")).Outcome);
        Assert.Equal(2, server.Connections);
        Assert.Equal(["m1", "m3"], server.Messages.Select(m => m.Subject));
    }

    [Fact]
    public async Task A_lost_reply_after_DATA_defers_without_a_second_copy()
    {
        await using var server = new NextHopTestServer { CloseAfterData = true };
        await using var transport = Transport(server.Port);
        await Send(transport, "m0"); // lost too: leaves no session in the pool
        server.CloseAfterData = false;
        await Send(transport, "m1"); // pooled now
        server.CloseAfterData = true;
        var results = await Send(transport, "m2");
        Assert.Equal(RecipientOutcome.Deferred, Assert.Single(results).Outcome);
        Assert.Single(server.Messages, m => m.Subject == "m2");
        Assert.Equal(0, transport.IdleConnections);
    }

    [Fact]
    public async Task Dispose_closes_idle_connections_with_QUIT()
    {
        await using var server = new NextHopTestServer();
        var transport = Transport(server.Port);
        await Task.WhenAll(Enumerable.Range(0, 3).Select(i => Send(transport, $"m{i}")));
        var pooled = transport.IdleConnections;
        Assert.InRange(pooled, 1, 3);
        await transport.DisposeAsync();
        await TestMail.Eventually(() => server.Quits == pooled && server.OpenNow == 0, TimeSpan.FromSeconds(5), "QUIT on dispose");
    }

    [Fact]
    public async Task Pool_size_zero_opens_and_quits_one_connection_per_message()
    {
        await using var server = new NextHopTestServer();
        await using var transport = Transport(server.Port, o => o with { PoolSize = 0 });
        for (var i = 0; i < 5; i++) await Send(transport, $"m{i}");
        Assert.Equal(5, server.Connections);
        await TestMail.Eventually(() => server.Quits == 5, TimeSpan.FromSeconds(5), "5 QUITs");
        Assert.Equal(0, transport.IdleConnections);
    }

    [Fact]
    public async Task A_connection_is_retired_after_max_messages()
    {
        await using var server = new NextHopTestServer();
        await using var transport = Transport(server.Port, o => o with { MaxMessagesPerConnection = 10 });
        for (var i = 0; i < 25; i++) await Send(transport, $"m{i}");
        Assert.Equal(3, server.Connections);
        Assert.Equal(25, server.Messages.Count);
        await TestMail.Eventually(() => server.Quits == 2, TimeSpan.FromSeconds(5), "retired sessions QUIT");
    }

    [Fact]
    public async Task A_connection_older_than_max_age_is_not_reused()
    {
        await using var server = new NextHopTestServer();
        await using var transport = Transport(server.Port, o => o with { MaxConnectionAge = TimeSpan.FromMilliseconds(200) });
        await Send(transport, "m1");
        await Task.Delay(400);
        await Send(transport, "m2");
        Assert.Equal(2, server.Connections);
    }
}
