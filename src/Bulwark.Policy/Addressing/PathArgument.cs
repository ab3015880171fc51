namespace Bulwark.Policy.Addressing;

/// <summary>
/// The argument of MAIL FROM: or RCPT TO:, parsed once, when the command line is read: its
/// keyword, its path and the path's ESMTP parameters. Every check of the phase reads this; none
/// parses the text again.
/// </summary>
public sealed record PathArgument
{
    private PathArgument(string text, bool keywordMissing, ParsedPath? path, PathProblem problem)
    {
        Text = text;
        KeywordMissing = keywordMissing;
        Path = path;
        Problem = problem;
    }

    /// <summary>What follows "FROM:" / "TO:" (the whole rest of the line when the keyword is missing).</summary>
    public string Text { get; }

    /// <summary>The line lacks "FROM:" / "TO:" (501 5.5.4). Nothing else was parsed.</summary>
    public bool KeywordMissing { get; }

    /// <summary>The path with its parameters; null when the keyword is missing or the path did not parse.</summary>
    public ParsedPath? Path { get; }

    /// <summary>Why the path did not parse, or the routing feature of one that did (see <see cref="PathProblem"/>).</summary>
    public PathProblem Problem { get; }

    /// <summary>The address as the client wrote it, for the transaction log: its first word,
    /// without angle brackets.</summary>
    public string LogForm
    {
        get
        {
            var space = Text.IndexOf(' ');
            return (space < 0 ? Text : Text[..space]).Trim('<', '>');
        }
    }

    /// <summary>The rest of a MAIL line after the verb: "FROM:" then a reverse-path ("&lt;&gt;" allowed).</summary>
    public static PathArgument ForMail(string rest) => Parse(rest, "FROM:", allowNullPath: true);

    /// <summary>The rest of a RCPT line after the verb: "TO:" then a forward-path ("&lt;Postmaster&gt;" allowed).</summary>
    public static PathArgument ForRcpt(string rest) => Parse(rest, "TO:", allowNullPath: false);

    // "MAIL FROM:<a@b>" and the common "MAIL FROM: <a@b>" are both taken; the path parser decides
    // what is inside.
    private static PathArgument Parse(string rest, string keyword, bool allowNullPath)
    {
        if (!rest.StartsWith(keyword, StringComparison.OrdinalIgnoreCase))
            return new PathArgument(rest, keywordMissing: true, null, PathProblem.Syntax);
        var text = rest[keyword.Length..].TrimStart();
        var parsed = PathParser.TryParse(text, allowNullPath, out var path, out var problem);
        return new PathArgument(text, keywordMissing: false, parsed ? path : null, problem);
    }
}
