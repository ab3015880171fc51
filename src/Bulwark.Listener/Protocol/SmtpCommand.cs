namespace Bulwark.Listener.Protocol;

/// <summary>The SMTP verbs Bulwark distinguishes. Anything else is <see cref="Unknown"/>.</summary>
public enum SmtpVerb
{
    Unknown,
    Helo,
    Ehlo,
    Mail,
    Rcpt,
    Data,
    Rset,
    Noop,
    Quit,
    Vrfy,
    Expn,
    Help,
    Auth,
    StartTls,
    Bdat,
}

/// <summary>One command line, split into its verb and the text after it.
/// For MAIL and RCPT, Argument is what follows "FROM:" / "TO:".</summary>
public sealed record SmtpCommand(SmtpVerb Verb, string Argument, bool Malformed = false)
{
    public static SmtpCommand Parse(string line)
    {
        var space = line.IndexOf(' ');
        var word = space < 0 ? line : line[..space];
        var rest = space < 0 ? "" : line[(space + 1)..].Trim();
        var verb = word.ToUpperInvariant() switch
        {
            "HELO" => SmtpVerb.Helo,
            "EHLO" => SmtpVerb.Ehlo,
            "MAIL" => SmtpVerb.Mail,
            "RCPT" => SmtpVerb.Rcpt,
            "DATA" => SmtpVerb.Data,
            "RSET" => SmtpVerb.Rset,
            "NOOP" => SmtpVerb.Noop,
            "QUIT" => SmtpVerb.Quit,
            "VRFY" => SmtpVerb.Vrfy,
            "EXPN" => SmtpVerb.Expn,
            "HELP" => SmtpVerb.Help,
            "AUTH" => SmtpVerb.Auth,
            "STARTTLS" => SmtpVerb.StartTls,
            "BDAT" => SmtpVerb.Bdat,
            _ => SmtpVerb.Unknown,
        };
        return verb switch
        {
            SmtpVerb.Mail => WithPrefix(verb, rest, "FROM:"),
            SmtpVerb.Rcpt => WithPrefix(verb, rest, "TO:"),
            _ => new SmtpCommand(verb, rest),
        };
    }

    // "MAIL FROM:<a@b>" and the common "MAIL FROM: <a@b>" are both taken; the path parser
    // decides what is inside.
    private static SmtpCommand WithPrefix(SmtpVerb verb, string rest, string prefix) =>
        rest.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            ? new SmtpCommand(verb, rest[prefix.Length..].TrimStart())
            : new SmtpCommand(verb, rest, Malformed: true);
}
