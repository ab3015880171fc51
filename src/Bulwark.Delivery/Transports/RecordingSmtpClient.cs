using MailKit.Net.Smtp;
using MimeKit;

namespace Bulwark.Delivery.Transports;

/// <summary>
/// A MailKit SmtpClient that (1) records refused recipients instead of throwing, so one refused
/// recipient does not fail the whole message, and (2) never "prepares" (re-encodes) the message,
/// so the spooled bytes go out as received and signatures (DKIM, ARC) stay valid.
/// </summary>
internal sealed class RecordingSmtpClient : SmtpClient
{
    public Dictionary<MailboxAddress, SmtpResponse> Refused { get; } = new(ReferenceEqualityComparer.Instance);

    public void ResetRecording() => Refused.Clear();

    protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response) =>
        Refused[mailbox] = response;

    protected override void OnNoRecipientsAccepted(MimeMessage message) => throw new NoRecipientsAccepted();

    protected override void Prepare(FormatOptions options, MimeMessage message, EncodingConstraint constraint, int maxLineLength)
    {
        // Deliberately empty: the base class would convert 8bit parts to quoted-printable/base64
        // when the next hop lacks 8BITMIME. A relay must pass the message on unchanged.
    }

    internal sealed class NoRecipientsAccepted : Exception;
}
