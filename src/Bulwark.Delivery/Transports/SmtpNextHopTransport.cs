using Envelope = Bulwark.Delivery.Spool.Envelope;
using ServiceNotConnectedException = MailKit.ServiceNotConnectedException;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Bulwark.Delivery.Transports;

/// <summary>
/// Hands a spooled message to the next-hop MTA over SMTP with MailKit, one connection per attempt.
/// The body is loaded with MimeMessage.Load(persistent: true), which keeps raw headers and part
/// contents as references into the spool file, and <see cref="RecordingSmtpClient"/> skips
/// MailKit's re-encoding step, so the bytes on the wire are the spooled bytes (MailKit still
/// hides any Bcc / Resent-Bcc / Content-Length header, which an MX should not pass on anyway).
/// Outcomes: RCPT 5xx -> Failed, RCPT 4xx -> Deferred; MAIL or DATA refused -> every recipient
/// by that code; connection, timeout or protocol errors -> every recipient still open Deferred.
/// No DSN is ever requested (no NOTIFY parameter).
/// </summary>
public sealed class SmtpNextHopTransport : IDeliveryTransport
{
    private readonly SmtpNextHopOptions _options;

    public SmtpNextHopTransport(SmtpNextHopOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Host);
        _options = options;
    }

    public string Name => $"smtp:{_options.Host}:{_options.Port}";

    public async Task<IReadOnlyList<RecipientResult>> DeliverAsync(Envelope envelope, Stream body, CancellationToken cancellationToken)
    {
        var rcpts = envelope.Recipients.Select(r => (Address: r, Mailbox: ToMailbox(r))).ToList();
        var invalid = rcpts.Where(r => r.Mailbox is null)
            .Select(r => new RecipientResult(r.Address, RecipientOutcome.Failed, "unparsable address")).ToList();
        var valid = rcpts.Where(r => r.Mailbox is not null).Select(r => (r.Address, Mailbox: r.Mailbox!)).ToList();
        if (valid.Count == 0) return invalid;

        using var client = new RecordingSmtpClient
        {
            Timeout = (int)_options.CommandTimeout.TotalMilliseconds,
            CheckCertificateRevocation = false,
        };
        if (_options.HeloName is { } helo) client.LocalDomain = helo;
        if (_options.AcceptAnyCertificate) client.ServerCertificateValidationCallback = (_, _, _, _) => true;

        try
        {
            await ConnectAsync(client, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return invalid.Concat(All(valid, RecipientOutcome.Deferred, $"connect {_options.Host}:{_options.Port}: {e.Message}")).ToList();
        }

        try
        {
            var message = await MimeMessage.LoadAsync(ParserOptions.Default, body, body.CanSeek, cancellationToken).ConfigureAwait(false);
            var format = FormatOptions.Default.Clone();
            format.NewLineFormat = NewLineFormat.Dos;
            var sender = SenderMailbox(envelope.Sender);
            var final = await client.SendAsync(format, message, sender, valid.Select(v => v.Mailbox), cancellationToken).ConfigureAwait(false);
            return invalid.Concat(valid.Select(v => client.Refused.TryGetValue(v.Mailbox, out var r)
                ? ByCode(v.Address, (int)r.StatusCode, r.Response)
                : new RecipientResult(v.Address, RecipientOutcome.Delivered, final))).ToList();
        }
        catch (RecordingSmtpClient.NoRecipientsAccepted)
        {
            return invalid.Concat(valid.Select(v => ByCode(v.Address, (int)client.Refused[v.Mailbox].StatusCode, client.Refused[v.Mailbox].Response))).ToList();
        }
        catch (SmtpCommandException e) when (e.ErrorCode is SmtpErrorCode.SenderNotAccepted or SmtpErrorCode.MessageNotAccepted)
        {
            var phase = e.ErrorCode == SmtpErrorCode.SenderNotAccepted ? "MAIL" : "DATA";
            return invalid.Concat(valid.Select(v => client.Refused.TryGetValue(v.Mailbox, out var r)
                ? ByCode(v.Address, (int)r.StatusCode, r.Response)
                : ByCode(v.Address, (int)e.StatusCode, $"{phase}: {e.Message}"))).ToList();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Connection lost, timeout, protocol error: whatever was not refused for good is retried.
            return invalid.Concat(valid.Select(v => client.Refused.TryGetValue(v.Mailbox, out var r) && (int)r.StatusCode >= 500
                ? ByCode(v.Address, (int)r.StatusCode, r.Response)
                : new RecipientResult(v.Address, RecipientOutcome.Deferred, e.Message))).ToList();
        }
        finally
        {
            await QuitQuietly(client).ConfigureAwait(false);
        }
    }

    private async Task ConnectAsync(SmtpClient client, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(_options.ConnectTimeout);
        var tls = _options.StartTlsWhenAvailable ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.None;
        await client.ConnectAsync(_options.Host, _options.Port, tls, cts.Token).ConfigureAwait(false);
    }

    private static async Task QuitQuietly(SmtpClient client)
    {
        if (!client.IsConnected) return;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await client.DisconnectAsync(true, cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SmtpProtocolException or SmtpCommandException or ServiceNotConnectedException)
        {
            // The message outcome is already decided; a failed QUIT changes nothing.
        }
    }

    /// <summary>The null reverse path "" must go out as MAIL FROM:&lt;&gt;.</summary>
    internal static MailboxAddress SenderMailbox(string sender) =>
        sender.Length == 0 ? new MailboxAddress(string.Empty, string.Empty) : ToMailbox(sender) ?? new MailboxAddress(string.Empty, string.Empty);

    private static MailboxAddress? ToMailbox(string address)
    {
        try { return new MailboxAddress(string.Empty, address); }
        catch (ParseException) { return null; }
    }

    private static RecipientResult ByCode(string rcpt, int code, string detail) =>
        new(rcpt, code >= 500 ? RecipientOutcome.Failed : RecipientOutcome.Deferred, $"{code} {detail}".Trim());

    private static IEnumerable<RecipientResult> All(IEnumerable<(string Address, MailboxAddress Mailbox)> rcpts, RecipientOutcome outcome, string detail) =>
        rcpts.Select(r => new RecipientResult(r.Address, outcome, detail));
}
