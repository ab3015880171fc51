using Bulwark.Node.Configuration;

namespace Bulwark.Node.Tests.Configuration.Binding;

/// <summary>A key without a value ("Port": null in JSON) is not given: the binder must not turn
/// it into zero or null. Entries of lists keep their place even when empty.</summary>
public class GivenValuesTests
{
    [Fact]
    public void A_key_without_a_value_means_the_default()
    {
        var settings = TestSettings.Load(("Smtp:Port", null), ("Node:Hostname", null), ("Smtp:Tls", null), ("Delivery:NextHop:PoolSize", null),
            ("Content:Spam:MarkAt", null), ("Reputation:Enabled", null));
        Assert.Equal(2525, settings.Smtp.Port);
        Assert.Equal("mx.example.test", settings.Node.Hostname);
        Assert.Null(settings.Smtp.Tls);
        Assert.Equal(8, settings.Delivery.NextHop.PoolSize);
        Assert.Equal(6, settings.Content.Policy.Default.MarkAt);
        Assert.True(settings.Reputation.Enabled);
    }

    [Fact]
    public void A_list_without_a_value_is_not_given() =>
        Assert.Equal(["127.0.0.0/8", "::1/128"], TestSettings.Load(("Dns:TrustedNetworks", null)).Dns.TrustedNetworks);

    [Fact]
    public void An_empty_entry_of_a_list_keeps_its_place()
    {
        Assert.Empty(TestSettings.Load(("Dns:TrustedNetworks:0", null)).Dns.TrustedNetworks);
        Assert.Equal("configuration error: Domains:1:Name: must not be empty", TestSettings.ErrorFor(("Domains:1", null)));
        Assert.Equal("configuration error: Content:Recipients:abuse:Address: must not be empty",
            TestSettings.ErrorFor(("Content:Recipients:abuse", null)));
    }
}
