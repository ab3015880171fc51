using Bulwark.Policy.Addressing;
using Bulwark.Policy.Verdicts;
using Bulwark.Policy.Checks;

namespace Bulwark.Policy.Checks.Mail;

/// <summary>mail.syntax: the reverse-path must parse (501 5.1.7), and fit in RFC 5321's 256 octets.</summary>
public sealed class SenderSyntax : Rule<MailFacts>
{
    public const string CheckName = "mail.syntax";

    private static readonly Verdict TooLong = Verdict.Refuse(Replies.SenderTooLong, CheckName);
    private static readonly Verdict Bad = Verdict.Refuse(Replies.BadSenderSyntax, CheckName);
    private static readonly Verdict NoObjection = Verdict.Continue(CheckName);

    public override string Name => CheckName;

    public override Verdict Decide(MailFacts facts) =>
        facts.Argument.Path is not null ? NoObjection
        : facts.Argument.Problem == PathProblem.TooLong ? TooLong
        : Bad;
}
