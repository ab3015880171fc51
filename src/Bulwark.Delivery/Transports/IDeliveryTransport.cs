using Bulwark.Delivery.Spool;

namespace Bulwark.Delivery.Transports;

/// <summary>Per-recipient outcome of one delivery attempt.</summary>
public enum RecipientOutcome
{
    Delivered,
    /// <summary>4xx or a network failure: retry later.</summary>
    Deferred,
    /// <summary>5xx from the next hop: never retried, never bounced; moved to the dead letters.</summary>
    Failed,
}

public sealed record RecipientResult(string Recipient, RecipientOutcome Outcome, string Detail);

/// <summary>Hands one spooled message to where it goes next (the next-hop MTA or a Maildir).</summary>
public interface IDeliveryTransport
{
    string Name { get; }

    Task<IReadOnlyList<RecipientResult>> DeliverAsync(Envelope envelope, Stream body, CancellationToken cancellationToken);
}
