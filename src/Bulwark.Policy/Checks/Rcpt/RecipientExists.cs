using Bulwark.Policy.Recipients;
using Bulwark.Policy.Verdicts;
using Bulwark.Policy.Checks;

namespace Bulwark.Policy.Checks.Rcpt;

/// <summary>
/// rcpt.directory: the reliable check of the seed's rule 1, before anything unreliable. The
/// RecipientDirectory answers (the listener answers from its copy of the directory when it can):
/// unknown is 550 5.1.1 and evidence; a directory that cannot tell is 451 4.3.0, never an accept.
/// A known recipient continues, so that checks placed after this one (rate limits, greylisting)
/// only ever see real recipients.
/// </summary>
public sealed class RecipientExists : ICheck<RcptFacts>
{
    public const string CheckName = "rcpt.directory";

    private static readonly Verdict Exists = Verdict.Continue(CheckName);
    private static readonly Verdict Unknown = Verdict.Refuse(Replies.UnknownRecipient, CheckName, Evidence.UnknownRecipient);
    private static readonly Verdict CannotTell = Verdict.Refuse(Replies.TemporaryFailure, CheckName);

    public string Name => CheckName;

    public async ValueTask<Verdict> CheckAsync(RcptFacts facts)
    {
        var mailbox = facts.Recipient!;
        try
        {
            return Decide(await facts.Session.Asks.RecipientAsync(mailbox.Domain, mailbox.LocalPart.ToLowerInvariant()));
        }
        catch (Exception e)
        {
            return CannotTell with { Failure = $"recipient lookup for {mailbox.Domain}: {e.Message}" };
        }
    }

    public static Verdict Decide(RecipientExistence existence) => existence switch
    {
        RecipientExistence.Exists => Exists,
        RecipientExistence.Unknown => Unknown,
        _ => CannotTell,
    };
}
