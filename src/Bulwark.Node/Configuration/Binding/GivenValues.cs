using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Bulwark.Node.Configuration.Binding;

/// <summary>
/// A key written without a value ("Port": null in JSON) has always meant "not given", so the
/// default. The binder would set such a property to zero or null instead; these keys are left
/// out of what it reads. An entry of a list keeps its place even when it holds nothing
/// (Domains:0 with nothing under it is still an accepted domain, one without a name).
/// </summary>
public static class GivenValues
{
    public static IConfiguration Of<TOptions>(IConfiguration configuration)
    {
        var lists = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        CollectLists(typeof(TOptions), "", lists);
        return new ConfigurationBuilder()
            .AddInMemoryCollection(configuration.AsEnumerable()
                .Where(entry => entry.Value is not null || lists.Contains(ConfigurationPath.GetParentPath(entry.Key) ?? "")))
            .Build();
    }

    /// <summary>The keys of <see cref="SettingList"/>s and keyed entries, whose children are entries.</summary>
    private static void CollectLists(Type type, string prefix, HashSet<string> lists)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var key = prefix + property.Name;
            var propertyType = property.PropertyType;
            if (propertyType == typeof(SettingList) || (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(OrderedDictionary<,>)))
                lists.Add(key);
            else if (propertyType.IsClass && propertyType != typeof(string))
                CollectLists(propertyType, key + ConfigurationPath.KeyDelimiter, lists);
        }
    }
}
