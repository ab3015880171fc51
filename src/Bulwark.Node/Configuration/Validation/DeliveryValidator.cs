using Bulwark.Node.Configuration.Binding;
using Bulwark.Node.Configuration.Conversion;

namespace Bulwark.Node.Configuration.Validation;

/// <summary>Delivery: concurrency, the next hop and its pool, retry bounds and the spool kind.</summary>
public sealed class DeliveryValidator : SectionValidator
{
    protected override void Check(BulwarkOptions options, SettingProblems problems)
    {
        var delivery = options.Delivery;
        var nextHop = delivery.NextHop;
        problems.InRange("Delivery:MaxConcurrent", delivery.MaxConcurrent, 1, 1000);
        problems.InRange("Delivery:NextHop:Port", nextHop.Port, 1, 65535);
        problems.InRangeSeconds("Delivery:NextHop:TimeoutSeconds", nextHop.TimeoutSeconds, 1, 600);
        if (nextHop.PoolSize is { } poolSize) problems.InRange("Delivery:NextHop:PoolSize", poolSize, 0, 1000);
        problems.InRangeSeconds("Delivery:NextHop:IdleTimeoutSeconds", nextHop.IdleTimeoutSeconds, 0.1, 3600);
        problems.InRangeSeconds("Delivery:NextHop:MaxConnectionAgeSeconds", nextHop.MaxConnectionAgeSeconds, 1, 86400);
        problems.InRange("Delivery:NextHop:MaxMessagesPerConnection", nextHop.MaxMessagesPerConnection, 1, 1_000_000);
        problems.InRangeSeconds("Delivery:InitialRetrySeconds", delivery.InitialRetrySeconds, 0.05, 86400);
        problems.InRangeSeconds("Delivery:MaxRetrySeconds", delivery.MaxRetrySeconds, 0.05, 86400);
        problems.InRangeSeconds("Delivery:MaxAgeSeconds", delivery.MaxAgeSeconds, 1, 86400 * 30);
        problems.OneOf("Delivery:Spool", delivery.Spool, Choices.Spool);
    }
}
