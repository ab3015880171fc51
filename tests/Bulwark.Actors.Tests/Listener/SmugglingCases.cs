using Bulwark.Policy.Verdicts;

namespace Bulwark.Actors.Tests.Listener;

/// <summary>Where the fake end of data sits in the body.</summary>
public enum FakeEndPlacement
{
    /// <summary>The fake end is the first bytes of the body.</summary>
    AtStart,
    /// <summary>Outer text, fake end, smuggled commands, more outer text, real end.</summary>
    InMiddle,
    /// <summary>The smuggled message is the tail of the body: the real end is what would
    /// complete it, as when a relay appends its own CRLF.CRLF to the attacker's text.</summary>
    BeforeRealEnd,
    /// <summary>The fake end directly followed by the real one.</summary>
    TouchingRealEnd,
    /// <summary>The smuggled message carries its own CRLF.CRLF and the real end follows it:
    /// the first CRLF.CRLF ends the body, the rest is read as (junk) commands.</summary>
    DoubledEnd,
}

/// <summary>
/// The smuggling matrix. Terminators are written in a notation that names every byte
/// ("&lt;CR&gt;&lt;LF&gt;.&lt;LF&gt;") so that each theory row reads as the attack it is, and are
/// generated, not listed: every left framing of the dot, every right framing, with and without
/// NUL on either side of it.
/// </summary>
public static class SmugglingCases
{
    private static readonly string[] LeftFramings = ["<CR><LF>", "<LF>", "<CR>"];
    // "<CR><CR><LF>": a CRLF line whose content is ".<CR>", the one framing a lenient reader
    // that strips trailing whitespace would take for the end.
    private static readonly string[] RightFramings = ["<CR><LF>", "<LF>", "<CR>", "<CR><CR><LF>"];
    private static readonly string[] NulOptions = ["", "<NUL>"];

    public const string Genuine = "<CR><LF>.<CR><LF>";
    public const string RealEnd = "\r\n.\r\n";
    public const string Header = "Subject: x\r\n\r\n";

    /// <summary>What a smuggler wants read as commands: a second transaction to a local victim.</summary>
    public const string Smuggled =
        "MAIL FROM:<evil@attacker.test>\r\nRCPT TO:<victim@example.test>\r\nDATA\r\nSubject: smuggled\r\n\r\nsmuggled";

    /// <summary>Every fake terminator with a framing before the dot (35 + 12 with "&lt;CR&gt;&lt;CR&gt;&lt;LF&gt;").</summary>
    public static IEnumerable<string> FramedTerminators() =>
        from left in LeftFramings
        from nulBefore in NulOptions
        from nulAfter in NulOptions
        from right in RightFramings
        let terminator = $"{left}{nulBefore}.{nulAfter}{right}"
        where terminator != Genuine
        select terminator;

    /// <summary>Fake terminators whose dot is the first byte of the body: the CRLF of the DATA
    /// command is their left framing, so the body reader's first-line state is what is tested.</summary>
    public static IEnumerable<string> DotFirstTerminators() =>
        from nulBefore in NulOptions
        from nulAfter in NulOptions
        from right in RightFramings
        let terminator = $"{nulBefore}.{nulAfter}{right}"
        where terminator != ".<CR><LF>"
        select terminator;

    public static string Decode(string notation) =>
        notation.Replace("<CR>", "\r").Replace("<LF>", "\n").Replace("<NUL>", "\0");

    public static string Body(string terminator, FakeEndPlacement placement)
    {
        var fake = Decode(terminator);
        return placement switch
        {
            FakeEndPlacement.AtStart => fake + Smuggled + RealEnd,
            FakeEndPlacement.InMiddle => Header + "line1" + fake + Smuggled + "\r\nouter line2" + RealEnd,
            FakeEndPlacement.BeforeRealEnd => Header + "line1" + fake + Smuggled + RealEnd,
            FakeEndPlacement.TouchingRealEnd => Header + "line1\r\n" + Smuggled + fake + RealEnd,
            FakeEndPlacement.DoubledEnd => Header + "line1" + fake + Smuggled + RealEnd + RealEnd,
            _ => throw new ArgumentOutOfRangeException(nameof(placement)),
        };
    }

    /// <summary>The one reply the DATA body must get. NUL is judged before line ends
    /// (PhaseRules.DataBody), and every terminator here carries at least one of them.</summary>
    public static string ExpectedRefusal(string terminator) =>
        (terminator.Contains("<NUL>") ? Replies.NulInMessage : Replies.BareLineEnd).ToWire();

    /// <summary>Replies after the 354, up to the end of the connection, for a body followed by
    /// NOOP and QUIT in the same write.</summary>
    public static string[] ExpectedReplies(string terminator, FakeEndPlacement placement)
    {
        var replies = new List<string> { ExpectedRefusal(terminator) };
        // The trailing "\r\n.\r\n" after the first real end is an empty line and a lone dot, read as commands.
        if (placement == FakeEndPlacement.DoubledEnd)
            replies.AddRange([Replies.SyntaxError.ToWire(), Replies.SyntaxError.ToWire()]);
        replies.AddRange([Replies.NoopOk.ToWire(), Replies.Bye.ToWire()]);
        return [.. replies];
    }

    public static TheoryData<string, FakeEndPlacement> Matrix()
    {
        var data = new TheoryData<string, FakeEndPlacement>();
        foreach (var terminator in FramedTerminators())
            foreach (var placement in Enum.GetValues<FakeEndPlacement>())
                data.Add(terminator, placement);
        return data;
    }

    public static TheoryData<string> DotFirst()
    {
        var data = new TheoryData<string>();
        foreach (var terminator in DotFirstTerminators()) data.Add(terminator);
        return data;
    }

    /// <summary>The sequences named in the 2023 disclosures and RFC 5321 section 4.1.1.4 / 2.3.8.</summary>
    public static TheoryData<string> Published() => new()
    {
        "<LF>.<LF>", "<CR>.<CR>", "<LF>.<CR><LF>", "<CR><LF>.<LF>", "<CR>.<CR><LF>", "<CR><LF>.<CR>",
        "<LF>.<CR>", "<CR>.<LF>", "<CR><LF><NUL>.<CR><LF>", "<CR><LF>.<NUL><CR><LF>", "<CR><LF>.<CR><CR><LF>",
    };
}
