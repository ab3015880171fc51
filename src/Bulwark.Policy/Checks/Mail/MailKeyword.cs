using Bulwark.Policy.Verdicts;
using Bulwark.Policy.Checks;

namespace Bulwark.Policy.Checks.Mail;

/// <summary>mail.syntax: "MAIL" must be followed by "FROM:" (501 5.5.4), checked before anything
/// else, as a command that is not MAIL FROM says nothing about the session's state.</summary>
public sealed class MailKeyword : Rule<MailFacts>
{
    public const string CheckName = "mail.syntax";

    private static readonly Verdict Refused = Verdict.Refuse(Replies.ParameterSyntax, CheckName);
    private static readonly Verdict NoObjection = Verdict.Continue(CheckName);

    public override string Name => CheckName;

    public override Verdict Decide(MailFacts facts) => facts.Argument.KeywordMissing ? Refused : NoObjection;
}
