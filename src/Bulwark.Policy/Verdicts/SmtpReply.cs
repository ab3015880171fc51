namespace Bulwark.Policy.Verdicts;

/// <summary>
/// One SMTP reply: a basic code, an RFC 3463 enhanced code and a human reason.
/// The wire form carries exactly these three, nothing appended.
/// </summary>
public sealed record SmtpReply(int Code, string EnhancedCode, string Reason)
{
    public bool IsPositive => Code is >= 200 and < 400;
    public bool IsTransient => Code is >= 400 and < 500;
    public bool IsPermanent => Code >= 500;

    /// <summary>Single-line wire form without the line end, e.g. "550 5.1.1 no such user".</summary>
    public string ToWire() => EnhancedCode.Length == 0
        ? $"{Code} {Reason}"
        : $"{Code} {EnhancedCode} {Reason}";

    public override string ToString() => ToWire();
}
