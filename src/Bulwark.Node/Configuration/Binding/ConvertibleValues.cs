using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Bulwark.Node.Configuration.Binding;

/// <summary>
/// Checks, before the binder runs, that every number and true/false value of the configuration
/// can become the type of its option property. The binder would refuse the same values, but with
/// its own exception text ("Failed to convert configuration value ..."); here the operator gets
/// the key and a plain sentence instead: <c>Smtp:Port: 'abc' is not a whole number</c>.
/// </summary>
/// <remarks>The rules are the plain invariant-culture parsers, a little stricter than the
/// binder's converters (which also take hexadecimal "0x10"): whatever passes here, the binder
/// converts. Keys are checked in the order the option classes declare them.</remarks>
public static class ConvertibleValues
{
    /// <summary>Throws a <see cref="ConfigurationError"/> for the first value that does not convert.</summary>
    public static void Check<TOptions>(IConfiguration configuration) => Check(configuration, typeof(TOptions));

    private static void Check(IConfiguration section, Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
        {
            var child = section.GetSection(property.Name);
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (child.Value is { } text && Problem(propertyType, property.Name, text) is { } problem)
                throw new ConfigurationError(child.Path, problem);
            // A value on a section key does not stop the binder from binding its children.
            if (EntryType(propertyType) is { } entryType)
                foreach (var entry in child.GetChildren()) Check(entry, entryType);
            else if (IsOptionsClass(propertyType))
                Check(child, propertyType);
        }
    }

    /// <summary>Null when the text converts to <paramref name="type"/> (or the type takes any text).</summary>
    public static string? Problem(Type type, string propertyName, string text)
    {
        if (type == typeof(int))
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? null : $"'{text}' is not a whole number";
        if (type == typeof(long))
            return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? null : $"'{text}' is not a whole number";
        if (type == typeof(double))
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                ? null
                : propertyName.EndsWith("Seconds", StringComparison.Ordinal) ? $"'{text}' is not a number of seconds" : $"'{text}' is not a number";
        if (type == typeof(bool))
            return bool.TryParse(text, out _) ? null : $"'{text}' is not true or false";
        return null;
    }

    /// <summary>The entry type of a keyed list of option objects (Domains, Content:Recipients).</summary>
    private static Type? EntryType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(OrderedDictionary<,>) ? type.GetGenericArguments()[1] : null;

    private static bool IsOptionsClass(Type type) =>
        type.IsClass && type != typeof(string) && type != typeof(SettingList) && type.Namespace == typeof(BulwarkOptions).Namespace;
}
