using Bulwark.Policy.Verdicts;
using Bulwark.Policy.Checks;

namespace Bulwark.Policy.Checks.Helo;

/// <summary>helo.syntax: a domain or address literal, one word of printable characters. Control
/// bytes are refused rather than echoed, since the EHLO reply repeats the argument (found by
/// fuzzing: a bare CR inside a reply line).</summary>
public sealed class HeloSyntax : Rule<HeloFacts>
{
    public const string CheckName = "helo.syntax";

    private static readonly Verdict Refused = Verdict.Refuse(Replies.HeloSyntax, CheckName);
    private static readonly Verdict NoObjection = Verdict.Continue(CheckName);

    public override string Name => CheckName;

    public override Verdict Decide(HeloFacts facts) => Decide(facts.Argument);

    public static Verdict Decide(string argument) =>
        string.IsNullOrWhiteSpace(argument) || argument.Contains(' ') || argument.Any(char.IsControl) ? Refused : NoObjection;
}
