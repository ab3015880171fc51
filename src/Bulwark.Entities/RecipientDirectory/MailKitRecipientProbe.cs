using MailKit.Net.Smtp;
using MailKit.Security;
using Bulwark.Policy.Recipients;

namespace Bulwark.Entities.RecipientDirectory;

/// <summary>
/// Call-ahead over SMTP with MailKit: connect, EHLO, MAIL FROM:&lt;&gt;, RCPT TO:&lt;address&gt;,
/// RSET, QUIT. The null sender is what RFC 5321 prescribes for such probes and keeps the next
/// hop from ever sending anything back. One connection per probe: probes are rare (answers are
/// cached) and a pooled connection would need its own liveness handling.
/// </summary>
public sealed class MailKitRecipientProbe(CallAheadOptions options) : IRecipientProbe
{
    public async Task<RecipientExistence> ProbeAsync(string address, CancellationToken cancellationToken)
    {
        // The address goes onto the wire inside a command: nothing that could end or split it.
        if (string.IsNullOrEmpty(address) || address.Any(c => char.IsControl(c) || c is '<' or '>' || char.IsWhiteSpace(c)))
            return RecipientExistence.TemporaryFailure;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        using var client = new ProbeClient
        {
            LocalDomain = options.HeloName,
            Timeout = (int)Math.Clamp(options.Timeout.TotalMilliseconds, 1, int.MaxValue),
        };
        try
        {
            // Connect also reads the greeting and sends EHLO.
            await client.ConnectAsync(options.Host, options.Port, SecureSocketOptions.None, timeout.Token);
            var mail = await client.CommandAsync("MAIL FROM:<>", timeout.Token);
            if (mail.StatusCode is < 200 or >= 300)
                return RecipientExistence.TemporaryFailure;
            var rcpt = await client.CommandAsync($"RCPT TO:<{address}>", timeout.Token);
            var result = rcpt.StatusCode switch
            {
                >= 200 and < 300 => RecipientExistence.Exists,
                >= 500 and < 600 => RecipientExistence.Unknown,
                _ => RecipientExistence.TemporaryFailure,
            };
            await QuietlyEnd(client, timeout.Token);
            return result;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return RecipientExistence.TemporaryFailure;
        }
    }

    private static async Task QuietlyEnd(ProbeClient client, CancellationToken token)
    {
        // The answer is already known; a next hop that drops us here changes nothing.
        try
        {
            await client.CommandAsync("RSET", token);
            await client.DisconnectAsync(quit: true, token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
        }
    }

    /// <summary>SendCommandAsync is protected on SmtpClient: it is how raw commands are sent.</summary>
    private sealed class ProbeClient : SmtpClient
    {
        public async Task<(int StatusCode, string Text)> CommandAsync(string command, CancellationToken token)
        {
            var response = await SendCommandAsync(command, token);
            return ((int)response.StatusCode, response.Response);
        }
    }
}
