using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Checks;

/// <summary>
/// One step of an SMTP phase's pipeline: it reads the phase's facts and returns a verdict
/// (continue, accept, refuse, defer, disconnect or discard) with the reply, the evidence and
/// what it found. The first verdict other than Continue ends the phase.
/// </summary>
/// <typeparam name="TFacts">What the phase knows: <see cref="SessionFacts"/> at connect and DATA,
/// <see cref="HeloFacts"/>, <see cref="MailFacts"/>, <see cref="RcptFacts"/>, <see cref="MessageFacts"/>.</typeparam>
public interface ICheck<in TFacts>
{
    /// <summary>"phase.check", as logs and the transaction line show it (e.g. "rcpt.relay").</summary>
    string Name { get; }

    /// <summary>Checks that must wait for an entity or a scanner ask through
    /// <see cref="SessionFacts.Asks"/>; the others complete synchronously.</summary>
    ValueTask<Verdict> CheckAsync(TFacts facts);
}

/// <summary>A check decided from the facts alone: nothing to ask, nothing to wait for. Its
/// <see cref="Decide"/> is what tests call.</summary>
public abstract class Rule<TFacts> : ICheck<TFacts>
{
    public abstract string Name { get; }

    public abstract Verdict Decide(TFacts facts);

    public ValueTask<Verdict> CheckAsync(TFacts facts) => new(Decide(facts));
}
