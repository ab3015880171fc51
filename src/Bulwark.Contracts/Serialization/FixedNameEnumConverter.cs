using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bulwark.Contracts.Serialization;

/// <summary>
/// Writes an enum as a fixed string from a table, not as its C# member name (a rename would
/// change the wire) nor as its number (a reordering would).
/// </summary>
internal sealed class FixedNameEnumConverter<TEnum> : JsonConverter<TEnum> where TEnum : struct, Enum
{
    private readonly Dictionary<TEnum, string> _names = [];
    private readonly Dictionary<string, TEnum> _values = new(StringComparer.Ordinal);

    public FixedNameEnumConverter(params (TEnum Value, string Name)[] table)
    {
        foreach (var (value, name) in table)
        {
            if (!_names.TryAdd(value, name) || !_values.TryAdd(name, value))
                throw new ArgumentException($"{typeof(TEnum).Name}: '{name}' or {value} appears twice");
        }
    }

    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"{typeof(TEnum).Name} must be a string");
        var name = reader.GetString()!;
        return _values.TryGetValue(name, out var value)
            ? value
            : throw new JsonException($"unknown {typeof(TEnum).Name} '{name}'");
    }

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options)
    {
        if (!_names.TryGetValue(value, out var name))
            throw new JsonException($"{typeof(TEnum).Name}.{value} has no wire name; add one to {nameof(WireEnums)}");
        writer.WriteStringValue(name);
    }
}
