namespace Bulwark.Cli.Tests;

public class CliOutputTests
{
    [Fact]
    public void Blocks_render_as_an_aligned_table()
    {
        var text = CliOutput.Render(CliView.Blocks,
            """[{"ip":"127.0.0.2","until":"2026-11-27T03:00:00+00:00","reason":"5 strikes"},{"ip":"2001:db8::/64","until":"2026-11-27T04:00:00+00:00","reason":"operator\nline"}]""");
        var lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^IP\s+UNTIL\s+REASON$", lines[0]);
        Assert.Equal(lines[1].IndexOf("2026", StringComparison.Ordinal), lines[2].IndexOf("2026", StringComparison.Ordinal));
        Assert.EndsWith("operator line", lines[2]);
    }

    [Fact]
    public void Empty_listings_say_so() =>
        Assert.Equal("no blocked IPs\n", CliOutput.Render(CliView.Blocks, "[]"));

    [Fact]
    public void Shards_show_errors_per_entity_type()
    {
        var text = CliOutput.Render(CliView.Shards,
            """{"ip-reputation":{"akka.tcp://bulwark@127.0.0.1:4053":{"shards":3,"entities":7}},"dns-policy":{"error":"timeout"}}""");
        Assert.Matches(@"ip-reputation\s+akka.tcp://bulwark@127.0.0.1:4053\s+3\s+7", text);
        Assert.Contains("error: timeout", text);
    }

    [Fact]
    public void Cluster_shows_self_leader_and_a_member_table()
    {
        var text = CliOutput.Render(CliView.Cluster,
            """{"self":"akka.tcp://bulwark@127.0.0.1:4053","leader":null,"members":[{"address":"akka.tcp://bulwark@127.0.0.1:4053","roles":["listener","policy"],"status":"Up","reachable":false,"appVersion":"0.4.0"}]}""");
        Assert.Equal(
            """
            self:   akka.tcp://bulwark@127.0.0.1:4053
            leader: -
            MEMBER                             STATUS  REACHABLE  ROLES            VERSION
            akka.tcp://bulwark@127.0.0.1:4053  Up      NO         listener,policy  0.4.0

            """.Replace("\r", ""), text);
    }

    [Fact]
    public void Queue_and_dead_letters_count_their_totals()
    {
        var queue = CliOutput.Render(CliView.Queue,
            """{"total":1,"entries":[{"queueId":"Q1","sender":"a@x.test","recipients":["b@y.test"],"receivedAt":"2026-01-01T00:00:00+00:00","attempts":1,"nextAttemptAt":null,"lastError":"connection refused","state":"waiting","sizeBytes":10}]}""");
        Assert.Matches(@"^QUEUE ID\s+STATE\s+RECEIVED\s+ATTEMPTS\s+NEXT ATTEMPT\s+SENDER\s+LAST ERROR\n", queue);
        Assert.Matches(@"\nQ1\s+waiting\s+2026-01-01T00:00:00\+00:00\s+1\s+-\s+a@x.test\s+connection refused\n1 message\(s\)\n$", queue);
        Assert.Equal("no dead letters\n0 dead letter(s)\n", CliOutput.Render(CliView.DeadLetters, """{"total":0,"entries":[]}"""));
    }

    [Fact]
    public void An_ip_status_shows_every_field_and_says_when_the_ip_is_not_blocked()
    {
        const string blocked = """{"ipKey":"127.0.0.6","recentStrikes":2,"offences":1,"blockedUntil":"2026-11-27T03:00:00+00:00","blockReason":"test block","openConnections":0}""";
        Assert.Equal(
            """
            ip:               127.0.0.6
            blocked until:    2026-11-27T03:00:00+00:00
            block reason:     test block
            recent strikes:   2
            offences:         1
            open connections: 0

            """.Replace("\r", ""), CliOutput.Render(CliView.IpStatus, blocked));

        var free = CliOutput.Render(CliView.IpStatus,
            """{"ipKey":"127.0.0.70","recentStrikes":0,"offences":0,"blockedUntil":null,"blockReason":null,"openConnections":0}""");
        Assert.Contains("blocked until:    not blocked\n", free);
        Assert.Contains("block reason:     -\n", free);
    }

    [Fact]
    public void Queue_stats_are_labelled_with_the_age_in_seconds()
    {
        var text = CliOutput.Render(CliView.QueueStats,
            """{"depth":2,"inFlight":1,"oldestReceivedAt":"2026-01-01T00:00:00+00:00","oldestAgeSeconds":12.345,"deadLetters":0}""");
        Assert.Equal(
            """
            depth:           2
            in flight:       1
            oldest received: 2026-01-01T00:00:00+00:00
            oldest age:      12.3 s
            dead letters:    0

            """.Replace("\r", ""), text);
    }

    [Theory]
    [InlineData(CliView.Flushed, """{"count":3}""", "3 waiting message(s) made due now\n")]
    [InlineData(CliView.QueueAction, """{"queueId":"Q1","found":true,"message":"delivery started"}""", "Q1: delivery started\n")]
    [InlineData(CliView.QueueAction, """{"queueId":"Q2","found":true,"message":"requeued for delivery","requeued":true}""", "Q2: requeued for delivery\n")]
    [InlineData(CliView.Released, """{"released":"X","queueId":"Q3"}""", "released X: queued for delivery as Q3\n")]
    [InlineData(CliView.Deleted, """{"deleted":"X"}""", "deleted X\n")]
    public void Actions_answer_with_one_sentence(CliView view, string json, string expected) =>
        Assert.Equal(expected, CliOutput.Render(view, json));

    [Fact]
    public void A_quarantine_entry_shows_its_metadata_then_the_message()
    {
        var text = CliOutput.Render(CliView.QuarantineEntry,
            """
            {"entry":{"id":"X","reason":"spam","recipients":["a@x.test","b@x.test"],"sender":"s@y.test","clientIp":"127.0.0.5","helo":"h.test",
             "queueId":"Q1","receivedAt":"2026-01-01T00:00:00+00:00","score":9.5,"requiredScore":5,"symbols":["BAYES_99"],"virusSignature":null,
             "quarantinedAt":"2026-01-01T00:00:01+00:00"},
             "message":"Subject: hi\r\n\r\nbody\r\n"}
            """);
        Assert.Matches(@"(?m)^id:\s+X$", text);
        Assert.Matches(@"(?m)^recipients:\s+a@x.test, b@x.test$", text);
        Assert.Matches(@"(?m)^spam score:\s+9.5 \(required 5\)$", text);
        Assert.Matches(@"(?m)^symbols:\s+BAYES_99$", text);
        Assert.DoesNotContain("virus", text);
        Assert.EndsWith("\n\nSubject: hi\n\nbody\n", text);
    }

    [Theory]
    [InlineData("""{"error":"'x' is not an IP address or IPv6 /64"}""", "'x' is not an IP address or IPv6 /64")]
    [InlineData("""{"queueId":"Q9","found":false,"message":"not in the queue"}""", "not in the queue")]
    [InlineData("<html>bad gateway</html>\n", "<html>bad gateway</html>")]
    public void A_refusal_is_told_by_its_reason(string body, string expected) =>
        Assert.Equal(expected, CliOutput.Problem(body));
}
