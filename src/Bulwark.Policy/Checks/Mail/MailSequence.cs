using Bulwark.Policy.Verdicts;
using Bulwark.Policy.Checks;

namespace Bulwark.Policy.Checks.Mail;

/// <summary>mail.sequence: MAIL needs a HELO first and no open transaction (503 5.5.1).</summary>
public sealed class MailSequence : Rule<MailFacts>
{
    public const string CheckName = "mail.sequence";

    private static readonly Verdict NeedHelo = Verdict.Refuse(Replies.NeedHelo, CheckName);
    private static readonly Verdict AlreadyGiven = Verdict.Refuse(Replies.SenderAlreadyGiven, CheckName);
    private static readonly Verdict NoObjection = Verdict.Continue(CheckName);

    public override string Name => CheckName;

    public override Verdict Decide(MailFacts facts) =>
        facts.Session.Helo is null ? NeedHelo
        : facts.Session.Transaction is not null ? AlreadyGiven
        : NoObjection;
}
