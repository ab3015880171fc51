using Bulwark.Policy.Verdicts;
using Bulwark.Policy.Checks;

namespace Bulwark.Policy.Checks.Mail;

/// <summary>The one-condition checks of MAIL.</summary>
public static class MailRules
{
    /// <summary>mail.syntax: "MAIL" must be followed by "FROM:" (501 5.5.4), checked before
    /// anything else: a command that is not MAIL FROM says nothing about the session's state.</summary>
    public static readonly Rule<MailFacts> Keyword =
        new RefuseWhen<MailFacts>("mail.syntax", Replies.ParameterSyntax, f => f.Argument.KeywordMissing);
}
