using Akka.Actor;
using Akka.TestKit.Xunit2;
using Bulwark.Entities.RecipientDirectory;
using Bulwark.Contracts.RecipientDirectory;
using Bulwark.Policy.Recipients;

namespace Bulwark.Actors.Tests.Entities;

public sealed class RecipientDirectoryActorTests : TestKit
{
    /// <summary>A next hop that answers from a table and counts the probes; optionally held
    /// back until released, to let several asks overlap one probe.</summary>
    private sealed class FakeProbe(Dictionary<string, RecipientExistence> answers) : IRecipientProbe
    {
        private int _calls;
        public TaskCompletionSource? Gate { get; init; }
        public int Calls => Volatile.Read(ref _calls);

        public async Task<RecipientExistence> ProbeAsync(string address, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            if (Gate is not null)
                await Gate.Task;
            return answers.TryGetValue(address, out var r) ? r : throw new IOException("connection refused");
        }
    }

    private static readonly DomainDirectoryOptions Static = new()
    {
        StaticRecipients = new HashSet<string> { "alice", "bob.smith" },
    };

    private static readonly CallAheadOptions CallAhead = new() { Enabled = true };

    private IActorRef Directory(DomainDirectoryOptions domain, IRecipientProbe? probe = null, Func<DateTimeOffset>? clock = null) =>
        Sys.ActorOf(RecipientDirectoryActor.Props(
            new RecipientDirectoryOptions { Domains = new Dictionary<string, DomainDirectoryOptions> { ["example.org"] = domain } },
            "example.org", probe is null ? null : _ => probe, clock));

    private RecipientAnswer Verify(IActorRef directory, string local)
    {
        directory.Tell(new VerifyRecipient("example.org", local));
        return ExpectMsg<RecipientAnswer>();
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("Alice")]
    [InlineData("BOB.Smith")]
    public void A_listed_local_part_exists_whatever_its_case(string local)
    {
        var answer = Verify(Directory(Static), local);

        Assert.Equal(RecipientExistence.Exists, answer.Existence);
        Assert.Equal("static", answer.Source);
    }

    [Fact]
    public void An_unlisted_local_part_without_call_ahead_is_unknown()
    {
        var answer = Verify(Directory(Static), "mallory");

        Assert.Equal(RecipientExistence.Unknown, answer.Existence);
        Assert.Equal("static", answer.Source);
    }

    [Fact]
    public void Postmaster_always_exists()
    {
        var answer = Verify(Directory(new DomainDirectoryOptions()), "PostMaster");

        Assert.Equal(RecipientExistence.Exists, answer.Existence);
    }

    [Fact]
    public void A_catch_all_domain_takes_any_local_part()
    {
        var answer = Verify(Directory(Static with { CatchAll = true }), "anything-at-all");

        Assert.Equal(RecipientExistence.Exists, answer.Existence);
        Assert.Equal("catch-all", answer.Source);
    }

    [Fact]
    public void A_positive_call_ahead_answer_is_cached()
    {
        var probe = new FakeProbe(new() { ["carol@example.org"] = RecipientExistence.Exists });
        var directory = Directory(Static with { CallAhead = CallAhead }, probe);

        var first = Verify(directory, "carol");
        var second = Verify(directory, "Carol");

        Assert.Equal((RecipientExistence.Exists, "call-ahead"), (first.Existence, first.Source));
        Assert.Equal((RecipientExistence.Exists, "call-ahead-cache"), (second.Existence, second.Source));
        Assert.Equal(1, probe.Calls);
    }

    [Fact]
    public void A_negative_call_ahead_answer_is_cached_for_the_negative_ttl_only()
    {
        var now = DateTimeOffset.UtcNow;
        var probe = new FakeProbe(new() { ["dave@example.org"] = RecipientExistence.Unknown });
        var directory = Directory(Static with { CallAhead = CallAhead }, probe, () => now);

        var first = Verify(directory, "dave");
        var cached = Verify(directory, "dave");
        now += CallAhead.NegativeTtl + TimeSpan.FromSeconds(1);
        var expired = Verify(directory, "dave");

        Assert.Equal((RecipientExistence.Unknown, "call-ahead"), (first.Existence, first.Source));
        Assert.Equal((RecipientExistence.Unknown, "call-ahead-cache"), (cached.Existence, cached.Source));
        Assert.Equal("call-ahead", expired.Source);
        Assert.Equal(2, probe.Calls);
        // Askers may keep an answer exactly as long as the entity's cache does.
        Assert.Equal(now - TimeSpan.FromSeconds(1), first.ValidUntil);
        Assert.Equal(first.ValidUntil, cached.ValidUntil);
    }

    [Fact]
    public void A_failed_probe_is_a_temporary_failure_and_is_not_cached()
    {
        var probe = new FakeProbe(new() { ["erin@example.org"] = RecipientExistence.TemporaryFailure });
        var directory = Directory(Static with { CallAhead = CallAhead }, probe);

        var first = Verify(directory, "erin");
        var thrown = Verify(directory, "frank"); // the fake throws for addresses it does not know
        var again = Verify(directory, "erin");

        Assert.Equal(RecipientExistence.TemporaryFailure, first.Existence);
        Assert.Equal(RecipientExistence.TemporaryFailure, thrown.Existence);
        Assert.Equal(RecipientExistence.TemporaryFailure, again.Existence);
        Assert.Equal(3, probe.Calls);
        Assert.Null(first.ValidUntil);
    }

    [Fact]
    public void Concurrent_asks_for_one_address_share_one_probe_and_all_get_the_answer()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = new FakeProbe(new() { ["gina@example.org"] = RecipientExistence.Exists }) { Gate = gate };
        var directory = Directory(Static with { CallAhead = CallAhead }, probe);
        var askers = Enumerable.Range(0, 3).Select(_ => CreateTestProbe()).ToList();

        foreach (var asker in askers)
            directory.Tell(new VerifyRecipient("example.org", "gina"), asker.Ref);
        AwaitCondition(() => probe.Calls == 1);
        gate.SetResult();

        foreach (var asker in askers)
            Assert.Equal(RecipientExistence.Exists, asker.ExpectMsg<RecipientAnswer>().Existence);
        Assert.Equal(1, probe.Calls);
    }

    [Fact]
    public void The_static_list_is_consulted_before_call_ahead()
    {
        var probe = new FakeProbe([]);
        var directory = Directory(Static with { CallAhead = CallAhead }, probe);

        var answer = Verify(directory, "alice");

        Assert.Equal("static", answer.Source);
        Assert.Equal(0, probe.Calls);
    }
}
