using System.Reflection;
using Bulwark.Contracts.Serialization;

namespace Bulwark.Actors.Tests.Serialization;

/// <summary>
/// Builds an instance of any contract by reflection, every property set, so that a record
/// added to Bulwark.Contracts is covered without writing its sample by hand. Variants walk
/// through every enum value and alternate nulls, so each wire name and each optional field
/// is sent at least once.
/// </summary>
public static class WireSamples
{
    /// <summary>Enough variants to reach every value of the largest enum the contracts carry.</summary>
    public static int VariantCount =>
        WireManifests.Entries.SelectMany(e => PropertyTypes(e.Type)).Where(t => t.IsEnum)
            .Select(t => Enum.GetValues(t).Length).DefaultIfEmpty(1).Max();

    private static readonly DateTimeOffset Base = new(2026, 12, 4, 1, 36, 47, 181, TimeSpan.Zero);
    private static readonly NullabilityInfoContext Nullability = new();

    public static object Create(Type type, int variant)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var arguments = constructor.GetParameters()
            .Select(p => Value(p.ParameterType, p.Name!, Nullability.Create(p).WriteState == NullabilityState.Nullable, variant))
            .ToArray();
        var instance = constructor.Invoke(arguments);
        var fromConstructor = constructor.GetParameters().Select(p => p.Name!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (fromConstructor.Contains(property.Name) || property.SetMethod is not { IsPublic: true })
                continue;
            var nullable = Nullability.Create(property).WriteState == NullabilityState.Nullable;
            property.SetValue(instance, Value(property.PropertyType, property.Name, nullable, variant));
        }
        return instance;
    }

    private static object? Value(Type type, string name, bool nullable, int variant)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null || nullable)
        {
            if (variant % 2 == 1)
                return null;
            type = underlying ?? type;
        }
        if (type == typeof(string)) return $"{name}-{variant}";
        if (type == typeof(int)) return 3 + variant;
        if (type == typeof(long)) return 30_000_000_000L + variant;
        if (type == typeof(bool)) return variant % 2 == 0;
        if (type == typeof(DateTimeOffset)) return Base.AddMinutes(variant).AddTicks(7 * variant);
        if (type == typeof(TimeSpan)) return TimeSpan.FromMinutes(90).Add(TimeSpan.FromMilliseconds(variant));
        if (type.IsEnum)
        {
            var values = Enum.GetValues(type);
            return values.GetValue(variant % values.Length);
        }
        if (type.IsClass && !type.IsAbstract)
            return Create(type, variant);
        throw new NotSupportedException($"no sample for {type} ({name}): teach {nameof(WireSamples)}");
    }

    private static IEnumerable<Type> PropertyTypes(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType)
            .SelectMany(t => t.IsClass && t != typeof(string) && !t.IsAbstract ? PropertyTypes(t).Prepend(t) : [t]);
}
