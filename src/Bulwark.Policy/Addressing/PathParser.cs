namespace Bulwark.Policy.Addressing;

/// <summary>
/// Parses the argument of MAIL FROM: / RCPT TO: (everything after the colon). Pure, never throws.
/// </summary>
public static class PathParser
{
    /// <summary>RFC 5321 4.5.3.1.3: a path is at most 256 octets, brackets included.</summary>
    public const int MaxPathOctets = 256;

    /// <summary>
    /// Parses "&lt;path&gt; [params]". <paramref name="allowNullPath"/> picks the path kind:
    /// true = reverse-path (MAIL FROM; "&lt;&gt;" accepted), false = forward-path (RCPT TO; "&lt;&gt;"
    /// refused, and "&lt;Postmaster&gt;" without a domain accepted as RFC 5321 4.1.1.3 requires).
    /// Leading spaces ("MAIL FROM: &lt;a@b&gt;") are tolerated, and so is a bare address without
    /// angle brackets, which <see cref="ParsedPath.HadAngleBrackets"/> records.
    /// See <see cref="PathProblem"/> for what <paramref name="problem"/> means on success and failure.
    /// </summary>
    public static bool TryParse(string argument, bool allowNullPath, out ParsedPath? path, out PathProblem problem)
    {
        path = null;
        problem = PathProblem.Syntax;
        if (argument is null) return false;
        var s = argument.AsSpan();
        var i = 0;
        while (i < s.Length && s[i] == ' ') i++;
        if (i == s.Length) return false;

        var pathStart = i;
        var bracketed = s[i] == '<';
        var sourceRoute = false;
        var quoted = false;
        Mailbox? mailbox = null;
        if (bracketed)
        {
            i++;
            if (i < s.Length && s[i] == '>')
            {
                if (!allowNullPath) return false;
            }
            else
            {
                if (i < s.Length && s[i] == '@')
                {
                    if (!SkipSourceRoute(s, ref i)) return false;
                    sourceRoute = true;
                }
                // "<Postmaster>" is a whole forward-path of its own; behind a source route it needs a domain.
                var p = MailboxSyntax.TryParse(s, ref i, !allowNullPath && !sourceRoute, out mailbox, out quoted);
                if (p != PathProblem.None) { problem = p; return false; }
            }
            if (i >= s.Length || s[i] != '>') return false;
            i++;
        }
        else
        {
            var p = MailboxSyntax.TryParse(s, ref i, !allowNullPath, out mailbox, out quoted);
            if (p != PathProblem.None) { problem = p; return false; }
        }

        var pathEnd = i;
        if (i < s.Length && s[i] != ' ') return false;
        var octets = CharClass.Utf8Octets(s[pathStart..pathEnd]) + (bracketed ? 0 : 2);
        if (octets > MaxPathOctets) { problem = PathProblem.TooLong; return false; }

        if (!EsmtpParameters.TryParse(s[i..], out var parameters))
        {
            problem = PathProblem.ParameterSyntax;
            return false;
        }

        path = new ParsedPath(mailbox, parameters, sourceRoute, quoted, argument.Substring(pathStart, pathEnd - pathStart))
        {
            HadAngleBrackets = bracketed,
        };
        problem = RelayRules.FindRoutingProblem(path);
        return true;
    }

    /// <summary>Reverse-path for MAIL FROM: null path allowed, bare postmaster not.</summary>
    public static bool TryParseReversePath(string argument, out ParsedPath? path, out PathProblem problem) =>
        TryParse(argument, allowNullPath: true, out path, out problem);

    /// <summary>Forward-path for RCPT TO: null path refused, bare "&lt;Postmaster&gt;" allowed.</summary>
    public static bool TryParseForwardPath(string argument, out ParsedPath? path, out PathProblem problem) =>
        TryParse(argument, allowNullPath: false, out path, out problem);

    /// <summary>A-d-l ":" with A-d-l = At-domain *( "," At-domain ), At-domain = "@" Domain.</summary>
    private static bool SkipSourceRoute(ReadOnlySpan<char> s, ref int i)
    {
        while (true)
        {
            if (i >= s.Length || s[i] != '@') return false;
            i++;
            if (MailboxSyntax.TryParseDomain(s, ref i, allowLiteral: false, out _) != PathProblem.None) return false;
            if (i >= s.Length) return false;
            if (s[i] == ':') { i++; return true; }
            if (s[i] != ',') return false;
            i++;
        }
    }
}
