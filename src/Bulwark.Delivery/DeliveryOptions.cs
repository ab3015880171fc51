namespace Bulwark.Delivery;

/// <summary>Delivery tuning. Validated by the caller (the node's configuration), not here.</summary>
public sealed record DeliveryOptions
{
    /// <summary>Messages being handed to the transport at the same time.</summary>
    public int MaxConcurrent { get; init; } = 8;

    /// <summary>Delay before the first retry; doubles with each attempt (InitialRetry * 2^(attempts-1)).</summary>
    public TimeSpan InitialRetry { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Cap of the retry delay.</summary>
    public TimeSpan MaxRetry { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Since ReceivedAt: past it, a still-deferred message is moved to the dead letters.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(5);

    /// <summary>One attempt (transport call) is cancelled and counted as deferred after this long,
    /// so a hung next hop cannot hold a delivery slot forever.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long the dead-letter count in <see cref="SpoolStats"/> may be reused before dead/
    /// is counted again (the dashboard polls every 2 s; the actor's own dead-lettering and requeues
    /// invalidate it at once).</summary>
    public TimeSpan DeadLetterCountRefresh { get; init; } = TimeSpan.FromSeconds(5);
}
