using Bulwark.Policy.Addressing;

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

/// <summary>One command line, split into its verb and the text after it. For MAIL and RCPT the
/// argument is parsed here, once (<see cref="Path"/>), and Argument is what follows "FROM:" / "TO:".</summary>
public sealed record SmtpCommand(SmtpVerb Verb, string Argument)
{
    /// <summary>MAIL's or RCPT's parsed argument; null for other verbs.</summary>
    public PathArgument? Path { get; init; }

    /// <summary>A MAIL or RCPT without its "FROM:" / "TO:" keyword.</summary>
    public bool Malformed => Path is { KeywordMissing: true };

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
            SmtpVerb.Mail => WithPath(verb, PathArgument.ForMail(rest)),
            SmtpVerb.Rcpt => WithPath(verb, PathArgument.ForRcpt(rest)),
            _ => new SmtpCommand(verb, rest),
        };
    }

    private static SmtpCommand WithPath(SmtpVerb verb, PathArgument path) => new(verb, path.Text) { Path = path };
}
