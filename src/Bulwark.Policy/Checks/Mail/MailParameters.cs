using Bulwark.Policy.Sessions;
using Bulwark.Policy.Verdicts;
using Bulwark.Policy.Checks;

namespace Bulwark.Policy.Checks.Mail;

/// <summary>
/// mail.parameters: the ESMTP parameters of MAIL, in the order the client gave them; the first
/// bad one decides. SIZE over the limit is 552 5.3.4 before a byte is sent (RFC 1870, "mail.size"),
/// BODY takes 7BIT or 8BITMIME ("mail.body"), SMTPUTF8 is taken, anything else is 555 5.5.4.
/// </summary>
public sealed class MailParameters(SessionLimits limits) : Rule<MailFacts>
{
    public const string CheckName = "mail.parameters";
    public const string SizeCheck = "mail.size";
    public const string BodyCheck = "mail.body";

    private static readonly Verdict NoObjection = Verdict.Continue(CheckName);

    public override string Name => CheckName;

    public override Verdict Decide(MailFacts facts)
    {
        if (facts.Argument.Path is not { } path) return NoObjection;
        foreach (var (key, value) in path.Parameters)
        {
            var verdict = key switch
            {
                "SIZE" => Size(value),
                "BODY" => value is not null && (value.Equals("7BIT", StringComparison.OrdinalIgnoreCase) || value.Equals("8BITMIME", StringComparison.OrdinalIgnoreCase))
                    ? null
                    : Verdict.Refuse(Replies.ParameterSyntax, BodyCheck),
                "SMTPUTF8" => null,
                _ => Verdict.Refuse(Replies.UnknownParameter, CheckName),
            };
            if (verdict is not null) return verdict;
        }
        return NoObjection;
    }

    private Verdict? Size(string? value)
    {
        // RFC 1870 allows 20 digits; a number past long is certainly over the limit.
        if (value is { Length: > 0 } digits && digits.All(char.IsAsciiDigit) && !long.TryParse(digits, out _))
            return Verdict.Refuse(Replies.DeclaredSizeTooLarge, SizeCheck);
        if (!long.TryParse(value, out var size) || size < 0)
            return Verdict.Refuse(Replies.ParameterSyntax, SizeCheck);
        return size > limits.MaxMessageBytes ? Verdict.Refuse(Replies.DeclaredSizeTooLarge, SizeCheck) : null;
    }
}
