using System.ComponentModel;
using Bulwark.Node.Configuration.Binding;
using Microsoft.Extensions.Configuration;

namespace Bulwark.Node.Tests.Configuration.Binding;

public class SettingListTests
{
    private sealed class Holder
    {
        public SettingList? Items { get; set; }
    }

    private static SettingList? Bind(params (string Key, string? Value)[] values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();
        return configuration.Get<Holder>()?.Items;
    }

    [Fact]
    public void The_converter_splits_one_value_at_commas_and_trims_the_entries()
    {
        var converted = TypeDescriptor.GetConverter(typeof(SettingList)).ConvertFromInvariantString(" listener , policy,,");
        Assert.Equal(["listener", "policy"], Assert.IsType<SettingList>(converted));
    }

    [Fact]
    public void The_binder_reads_one_comma_separated_value() =>
        Assert.Equal(["a", "b"], Bind(("Items", "a,b")));

    [Fact]
    public void The_binder_reads_indexed_children_and_drops_empty_ones() =>
        Assert.Equal(["a", " b"], Bind(("Items:0", "a"), ("Items:1", ""), ("Items:2", null), ("Items:3", " b")));

    [Fact]
    public void A_value_wins_over_children_of_the_same_key() =>
        Assert.Equal(["c"], Bind(("Items:0", "a"), ("Items:1", "b"), ("Items", "c")));

    [Fact]
    public void An_empty_value_is_an_empty_list_and_no_key_is_no_list()
    {
        Assert.Empty(Assert.IsType<SettingList>(Bind(("Items", ""))));
        Assert.Null(new ConfigurationBuilder().AddInMemoryCollection([new("Other", "x")]).Build().Get<Holder>()?.Items);
    }
}
