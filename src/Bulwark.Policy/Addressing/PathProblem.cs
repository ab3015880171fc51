namespace Bulwark.Policy.Addressing;

/// <summary>
/// What <see cref="PathParser.TryParse(string, bool, out ParsedPath?, out PathProblem)"/> found wrong, or
/// worth a second look, in a MAIL FROM / RCPT TO path.
/// </summary>
/// <remarks>
/// When TryParse returns false the value is <see cref="Syntax"/>, <see cref="TooLong"/> or
/// <see cref="ParameterSyntax"/>. When it returns true the value is <see cref="None"/> or the first
/// routing feature found (<see cref="SourceRoute"/>, <see cref="QuotedAt"/>, <see cref="PercentHack"/>,
/// <see cref="BangPath"/>, <see cref="AddressLiteral"/>): those are legal RFC 5321 syntax, so the
/// parser accepts them and <see cref="RelayRules"/> decides what they mean for a recipient.
/// </remarks>
public enum PathProblem
{
    None,
    /// <summary>Not an RFC 5321 path (reply 501 5.1.3 / 5.1.7).</summary>
    Syntax,
    /// <summary>"@a,@b:user@dom": a legal but obsolete source route.</summary>
    SourceRoute,
    /// <summary>'%' in the local part: the "percent hack" relay form user%other@us.</summary>
    PercentHack,
    /// <summary>'!' in the local part: a UUCP bang path host!user@us.</summary>
    BangPath,
    /// <summary>A quoted local part that contains '@', e.g. "user@other"@us.</summary>
    QuotedAt,
    /// <summary>The domain is an address literal such as [192.0.2.1] or [IPv6:2001:db8::1].</summary>
    AddressLiteral,
    /// <summary>Over the RFC 5321 4.5.3.1 limits: local part 64, domain 255, label 63, path 256 octets.</summary>
    TooLong,
    /// <summary>The path is fine but an ESMTP parameter after it is malformed (reply 501 5.5.4).</summary>
    ParameterSyntax,
}
