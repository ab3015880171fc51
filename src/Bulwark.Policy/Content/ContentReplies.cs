using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Content;

/// <summary>The replies and check names of the content stage (DESIGN.md, "Replies").</summary>
public static class ContentReplies
{
    public const string VirusCheck = "data.virus";
    public const string SpamCheck = "data.spam";

    public static readonly SmtpReply SpamRefused = new(550, "5.7.1", "message refused as spam");
    public static readonly SmtpReply ScannerUnavailable = new(451, "4.3.0", "content scanner unavailable, try again later");

    /// <summary>550 5.7.1 naming the signature (useful to a legitimate sender whose machine is
    /// infected). The name comes from clamd, so it is reduced to safe printable characters.</summary>
    public static SmtpReply VirusFound(string? signature)
    {
        var name = SpamHeaders.SafeToken(signature ?? "", 80);
        return new SmtpReply(550, "5.7.1", name.Length == 0 ? "message refused: virus found" : $"message refused: virus found ({name})");
    }
}
