using System.Collections.ObjectModel;
using System.ComponentModel;
using System.Globalization;

namespace Bulwark.Node.Configuration.Binding;

/// <summary>
/// A list setting, written either as indexed children (a JSON array, or Key__0, Key__1 in the
/// environment) or as one comma-separated value (BULWARK_Node__Roles=listener,policy). The binder
/// fills it from the children; <see cref="SettingListConverter"/> reads the single value, which
/// wins over children of the same key, so one environment variable replaces a list of the file.
/// Empty entries are dropped; an empty value is an empty list, which is not the same as none.
/// </summary>
[TypeConverter(typeof(SettingListConverter))]
public sealed class SettingList : Collection<string>
{
    public SettingList()
    {
    }

    public SettingList(IEnumerable<string> entries)
    {
        foreach (var entry in entries) Add(entry);
    }

    public static SettingList FromCommaSeparated(string value) =>
        new(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>The binder adds JSON nulls and empty strings too; they never were entries.</summary>
    protected override void InsertItem(int index, string item)
    {
        if (!string.IsNullOrEmpty(item)) base.InsertItem(index, item);
    }
}

/// <summary>Turns a single configuration value into a <see cref="SettingList"/> for the binder.</summary>
public sealed class SettingListConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text ? SettingList.FromCommaSeparated(text) : base.ConvertFrom(context, culture, value);
}
