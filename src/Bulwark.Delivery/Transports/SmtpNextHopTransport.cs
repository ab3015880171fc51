using Envelope = Bulwark.Delivery.Spool.Envelope;
using MailKit.Net.Smtp;
using MimeKit;

namespace Bulwark.Delivery.Transports;

/// <summary>
/// Hands a spooled message to the next-hop MTA over SMTP with MailKit, on sessions reused
/// across messages (<see cref="NextHopConnectionPool"/>; PoolSize 0: one connection per attempt).
/// The body is parsed (by the session's own MimeParser, persistent), which keeps raw headers and part
/// contents as references into the spool file, and <see cref="RecordingSmtpClient"/> skips
/// MailKit's re-encoding step, so the bytes on the wire are the spooled bytes (MailKit still
/// hides any Bcc / Resent-Bcc / Content-Length header, which an MX should not pass on anyway).
/// Outcomes: RCPT 5xx -> Failed, RCPT 4xx -> Deferred; MAIL or DATA refused -> every recipient
/// by that code; connection, timeout or protocol errors -> every recipient still open Deferred.
/// No DSN is ever requested (no NOTIFY parameter). A pooled session found dead before the next hop
/// answered MAIL is retried once on a fresh connection: no DATA went out, so nothing is doubled.
/// </summary>
public sealed class SmtpNextHopTransport : IDeliveryTransport, IAsyncDisposable, IDisposable
{
    private readonly SmtpNextHopOptions _options;
    private readonly NextHopConnectionPool _pool;

    public SmtpNextHopTransport(SmtpNextHopOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Host);
        ArgumentOutOfRangeException.ThrowIfNegative(options.PoolSize);
        _options = options;
        _pool = new NextHopConnectionPool(options);
    }

    public string Name => $"smtp:{_options.Host}:{_options.Port}";

    /// <summary>SMTP sessions opened so far (for tests and metrics: with reuse, far fewer than messages).</summary>
    public int ConnectionsOpened => _pool.Opened;

    /// <summary>Sessions now idle in the pool.</summary>
    public int IdleConnections => _pool.IdleCount;

    public async Task<IReadOnlyList<RecipientResult>> DeliverAsync(Envelope envelope, Stream body, CancellationToken cancellationToken)
    {
        var rcpts = envelope.Recipients.Select(r => (Address: r, Mailbox: ToMailbox(r))).ToList();
        var invalid = rcpts.Where(r => r.Mailbox is null)
            .Select(r => new RecipientResult(r.Address, RecipientOutcome.Failed, "unparsable address")).ToList();
        var valid = rcpts.Where(r => r.Mailbox is not null).Select(r => (r.Address, Mailbox: r.Mailbox!)).ToList();
        if (valid.Count == 0) return invalid;

        MimeMessage? message = null;
        for (var fresh = false; ; fresh = true)
        {
            NextHopConnection connection;
            try
            {
                connection = await _pool.RentAsync(fresh, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return invalid.Concat(All(valid, RecipientOutcome.Deferred, $"connect {_options.Host}:{_options.Port}: {e.Message}")).ToList();
            }
            if (message is null)
            {
                try
                {
                    connection.Parser.SetStream(body, MimeFormat.Entity, persistent: body.CanSeek);
                    message = await connection.Parser.ParseMessageAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    await _pool.ReturnAsync(connection, healthy: connection.LooksAlive()).ConfigureAwait(false);
                    return invalid.Concat(All(valid, RecipientOutcome.Deferred, e.Message)).ToList();
                }
            }
            var (results, retry) = await SendAsync(connection, message, envelope, valid, cancellationToken).ConfigureAwait(false);
            if (retry && !fresh) continue;
            return invalid.Concat(results).ToList();
        }
    }

    /// <summary>One transaction on one session; Retry: a reused session died before MAIL was answered.</summary>
    private async Task<(List<RecipientResult> Results, bool Retry)> SendAsync(NextHopConnection connection, MimeMessage message,
        Envelope envelope, List<(string Address, MailboxAddress Mailbox)> valid, CancellationToken cancellationToken)
    {
        // Results are built into lists before the finally gives the session (and its Refused map) back.
        var client = connection.Client;
        client.ResetRecording();
        var healthy = false;
        try
        {
            var format = FormatOptions.Default.Clone();
            format.NewLineFormat = NewLineFormat.Dos;
            var sender = SenderMailbox(envelope.Sender);
            var final = await client.SendAsync(format, message, sender, valid.Select(v => v.Mailbox), cancellationToken).ConfigureAwait(false);
            healthy = !client.Refused.Values.Any(IsShutdown);
            return (valid.Select(v => client.Refused.TryGetValue(v.Mailbox, out var r)
                ? ByCode(v.Address, (int)r.StatusCode, r.Response)
                : new RecipientResult(v.Address, RecipientOutcome.Delivered, final)).ToList(), false);
        }
        catch (SmtpCommandException e) when (e.ErrorCode is SmtpErrorCode.SenderNotAccepted or SmtpErrorCode.MessageNotAccepted)
        {
            // MailKit has sent RSET after a refused command; a 421 means the next hop is closing.
            healthy = (int)e.StatusCode != 421 && !client.Refused.Values.Any(IsShutdown);
            if (client.NoRecipientsAccepted)
                return (valid.Select(v => ByCode(v.Address, (int)client.Refused[v.Mailbox].StatusCode, client.Refused[v.Mailbox].Response)).ToList(), false);
            var phase = e.ErrorCode == SmtpErrorCode.SenderNotAccepted ? "MAIL" : "DATA";
            return (valid.Select(v => client.Refused.TryGetValue(v.Mailbox, out var r)
                ? ByCode(v.Address, (int)r.StatusCode, r.Response)
                : ByCode(v.Address, (int)e.StatusCode, $"{phase}: {e.Message}")).ToList(), false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // No reply to MAIL means MailKit never reached DATA: the message cannot have been taken.
            if (connection.Reused && !client.SenderReplied && e is not OperationCanceledException) return ([], true);
            // Connection lost, timeout, protocol error: whatever was not refused for good is retried.
            return (valid.Select(v => client.Refused.TryGetValue(v.Mailbox, out var r) && (int)r.StatusCode >= 500
                ? ByCode(v.Address, (int)r.StatusCode, r.Response)
                : new RecipientResult(v.Address, RecipientOutcome.Deferred, e.Message)).ToList(), false);
        }
        finally
        {
            await _pool.ReturnAsync(connection, healthy).ConfigureAwait(false);
        }
    }

    private static bool IsShutdown(SmtpResponse r) => (int)r.StatusCode == 421;

    /// <summary>Closes every idle session with QUIT; sessions still in use are closed when given back.</summary>
    public ValueTask DisposeAsync() => _pool.DisposeAsync();

    public void Dispose() => _pool.DisposeAsync().AsTask().GetAwaiter().GetResult();

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
