using Bulwark.Contracts.RecipientDirectory;
using Bulwark.NodeCaches;
using Bulwark.Policy.Recipients;

namespace Bulwark.Actors.Tests.NodeCaches;

public class NodeCallAheadAnswersTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch.AddDays(20000);

    private static NodeCallAheadAnswers New(int maxEntries = 100) => new(new RecipientDirectoryOptions
    {
        Domains = new Dictionary<string, DomainDirectoryOptions>(StringComparer.OrdinalIgnoreCase)
        {
            ["probe.test"] = new() { CallAhead = new CallAheadOptions { Enabled = true, MaxCachedEntries = maxEntries } },
        },
    });

    private static RecipientAnswer Answer(string local, RecipientExistence existence, DateTimeOffset? until) =>
        new("probe.test", local, existence, "call-ahead") { ValidUntil = until };

    [Fact]
    public void An_answer_is_reused_until_the_entity_would_drop_it()
    {
        var kept = New();
        kept.Keep(Answer("carol", RecipientExistence.Exists, Now.AddMinutes(10)), Now);
        kept.Keep(Answer("dave", RecipientExistence.Unknown, Now.AddMinutes(1)), Now);

        Assert.True(kept.TryGet("PROBE.test", "carol", Now.AddMinutes(9), out var carol));
        Assert.Equal(RecipientExistence.Exists, carol);
        Assert.True(kept.TryGet("probe.test", "dave", Now, out var dave));
        Assert.Equal(RecipientExistence.Unknown, dave);
        Assert.False(kept.TryGet("probe.test", "dave", Now.AddMinutes(1), out _));
        Assert.False(kept.TryGet("probe.test", "erin", Now, out _));
    }

    [Fact]
    public void Failures_answers_without_a_validity_and_stale_answers_are_not_kept()
    {
        var kept = New();
        kept.Keep(Answer("a", RecipientExistence.TemporaryFailure, Now.AddMinutes(10)), Now);
        kept.Keep(Answer("b", RecipientExistence.Exists, null), Now);
        kept.Keep(Answer("c", RecipientExistence.Exists, Now), Now);
        foreach (var local in new[] { "a", "b", "c" })
            Assert.False(kept.TryGet("probe.test", local, Now, out _));
    }

    [Fact]
    public void Each_domain_keeps_at_most_its_configured_number_of_answers()
    {
        var kept = New(maxEntries: 3);
        for (var i = 0; i < 10; i++)
            kept.Keep(Answer($"u{i}", RecipientExistence.Exists, Now.AddHours(1)), Now);
        var held = Enumerable.Range(0, 10).Count(i => kept.TryGet("probe.test", $"u{i}", Now, out _));
        Assert.Equal(3, held);
        Assert.True(kept.TryGet("probe.test", "u9", Now, out _));   // the newest stay
    }
}
