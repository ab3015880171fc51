using MailKit.Net.Smtp;
using MimeKit;

namespace Bulwark.Delivery.Transports;

/// <summary>
/// A MailKit SmtpClient that (1) records refused recipients instead of throwing, so one refused
/// recipient does not fail the whole message, (2) never "prepares" (re-encodes) the message,
/// so the spooled bytes go out as received and signatures (DKIM, ARC) stay valid, and (3) records
/// whether the next hop answered MAIL, which tells a pooled connection that died before MAIL
/// (safe to retry: DATA cannot have been sent) from one that died later.
/// </summary>
internal sealed class RecordingSmtpClient : SmtpClient
{
    public Dictionary<MailboxAddress, SmtpResponse> Refused { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>The next hop replied to MAIL FROM (either way) in the current transaction.</summary>
    public bool SenderReplied { get; private set; }

    /// <summary>Every recipient of the current transaction was refused (each is in <see cref="Refused"/>).</summary>
    public bool NoRecipientsAccepted { get; private set; }

    public void ResetRecording()
    {
        Refused.Clear();
        SenderReplied = false;
        NoRecipientsAccepted = false;
    }

    protected override void OnSenderAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
    {
        SenderReplied = true;
        base.OnSenderAccepted(message, mailbox, response);
    }

    protected override void OnSenderNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
    {
        SenderReplied = true;
        base.OnSenderNotAccepted(message, mailbox, response);
    }

    protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response) =>
        Refused[mailbox] = response;

    // Not throwing here lets MailKit raise its own SmtpCommandException, after which it sends
    // RSET and keeps the session usable; a custom exception would make it drop the connection.
    protected override void OnNoRecipientsAccepted(MimeMessage message) => NoRecipientsAccepted = true;

    protected override void Prepare(FormatOptions options, MimeMessage message, EncodingConstraint constraint, int maxLineLength)
    {
        // Deliberately empty: the base class would convert 8bit parts to quoted-printable/base64
        // when the next hop lacks 8BITMIME. A relay must pass the message on unchanged.
    }
}
