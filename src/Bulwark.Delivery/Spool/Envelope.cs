namespace Bulwark.Delivery.Spool;

/// <summary>The SMTP envelope of one accepted message, stored beside its body in the spool.
/// Sender is "" for the null reverse path. Recipients are plain addresses (local@domain), never
/// routing syntax. RequeuedAt: set when an operator moved the message back from the dead letters;
/// the max-age window then counts from it, so a requeued message gets a full retry period again.
/// HeaderFields: header fields (each ending in CRLF) that go above the stored body whenever it
/// is read for delivery; fields only known once the whole message was read are kept here
/// instead of rewriting the body (<see cref="MessageBody"/>).</summary>
public sealed record Envelope(
    string QueueId,
    string Sender,
    IReadOnlyList<string> Recipients,
    string ClientIp,
    string Helo,
    DateTimeOffset ReceivedAt,
    int Attempts = 0,
    DateTimeOffset? NextAttemptAt = null,
    string? LastError = null,
    DateTimeOffset? RequeuedAt = null)
{
    public string? HeaderFields { get; init; }
}
