namespace Bulwark.Delivery.Spool;

/// <summary>The SMTP envelope of one accepted message, stored beside its body in the spool.
/// Sender is "" for the null reverse path. Recipients are plain addresses (local@domain), never
/// routing syntax. RequeuedAt: set when an operator moved the message back from the dead letters;
/// the max-age window then counts from it, so a requeued message gets a full retry period again.</summary>
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
    DateTimeOffset? RequeuedAt = null);
