using Bulwark.Node.Configuration;
using Microsoft.Extensions.Configuration;

namespace Bulwark.Node.Tests.Configuration;

/// <summary>The next-hop pool follows the delivery concurrency unless set: a smaller pool churns
/// sessions under load (measured: a new session every 5-6 messages with 20 deliveries on 8).</summary>
public class NextHopPoolSettingsTests
{
    private static BulwarkSettings Load(params (string Key, string Value)[] values) =>
        BulwarkSettingsLoader.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Prepend((Key: "Domains:0:Name", Value: "example.test"))
                .Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());

    [Fact]
    public void Pool_size_defaults_to_the_delivery_concurrency()
    {
        Assert.Equal(8, Load().Delivery.NextHop.PoolSize);
        Assert.Equal(20, Load(("Delivery:MaxConcurrent", "20")).Delivery.NextHop.PoolSize);
    }

    [Fact]
    public void An_explicit_pool_size_wins_and_zero_turns_reuse_off()
    {
        Assert.Equal(3, Load(("Delivery:MaxConcurrent", "20"), ("Delivery:NextHop:PoolSize", "3")).Delivery.NextHop.PoolSize);
        Assert.Equal(0, Load(("Delivery:NextHop:PoolSize", "0")).Delivery.NextHop.PoolSize);
    }
}
