using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Checks;

/// <summary>
/// The ordered checks of one SMTP phase, like a Postfix restriction list or a Haraka hook: each
/// runs in turn until one gives a verdict other than Continue, which is the phase's answer. When
/// every check continues, the phase answers <see cref="WhenAllContinue"/>.
/// </summary>
public sealed class PhasePipeline<TFacts>(string phase, IReadOnlyList<ICheck<TFacts>> checks, Verdict whenAllContinue)
{
    /// <summary>"connect", "helo", "mail", "rcpt", "data" or "message" (the end of DATA).</summary>
    public string Phase { get; } = phase;

    public IReadOnlyList<ICheck<TFacts>> Checks { get; } = checks;

    public Verdict WhenAllContinue { get; } = whenAllContinue;

    /// <summary>The check names in order, for logs and the architecture page.</summary>
    public IEnumerable<string> Names => Checks.Select(c => c.Name);

    /// <summary>
    /// Runs the checks. Every verdict's finding, the deciding one's included, is added to
    /// <paramref name="findings"/>. A check that throws is a temporary failure of that check
    /// (451 4.3.0): a fault of ours never accepts and never refuses for good.
    /// </summary>
    public async ValueTask<Verdict> RunAsync(TFacts facts, ICollection<IFinding>? findings = null)
    {
        foreach (var check in Checks)
        {
            Verdict verdict;
            try
            {
                // No ConfigureAwait(false): a session actor awaits this, and its continuations must
                // stay in the actor's context.
                verdict = await check.CheckAsync(facts);
            }
            catch (Exception e)
            {
                verdict = Verdict.Refuse(Replies.TemporaryFailure, check.Name) with { Failure = e.Message };
            }
            if (verdict.Finding is { } found) findings?.Add(found);
            if (verdict.Kind != VerdictKind.Continue) return verdict;
        }
        return WhenAllContinue;
    }
}
