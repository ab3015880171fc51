using Bulwark.Policy.Sessions;
using Bulwark.Policy.Verdicts;
using Bulwark.Policy.Checks;

namespace Bulwark.Policy.Checks.Message;

/// <summary>
/// One fault the wire found while reading the body refuses the message. The body was read to
/// its end anyway, so the dialogue stays in step. Size goes first (the cheapest to explain),
/// then the line-end faults that smuggling attacks rely on.
/// </summary>
public sealed class BodyFault(string name, DataFaults faults, SmtpReply reply) : Rule<MessageFacts>
{
    public static readonly BodyFault Size = new("data.size", DataFaults.TooLarge, Replies.MessageTooLarge);
    public static readonly BodyFault Nul = new("data.nul", DataFaults.Nul, Replies.NulInMessage);
    public static readonly BodyFault LineEnds = new("data.line-ends", DataFaults.BareCarriageReturn | DataFaults.BareLineFeed, Replies.BareLineEnd);
    public static readonly BodyFault LineLength = new("data.line-length", DataFaults.LineTooLong, Replies.LineTooLongData);

    /// <summary>In the order they are checked.</summary>
    public static readonly IReadOnlyList<BodyFault> All = [Size, Nul, LineEnds, LineLength];

    private readonly Verdict _refused = Verdict.Refuse(reply, name);
    private readonly Verdict _noObjection = Verdict.Continue(name);

    public override string Name => name;

    public override Verdict Decide(MessageFacts facts) => Decide(facts.Body.Faults);

    public Verdict Decide(DataFaults found) => (found & faults) != 0 ? _refused : _noObjection;
}
