using Newtonsoft.Json.Serialization;

namespace Bulwark.Contracts.Serialization;

/// <summary>
/// Installed into Akka's Newtonsoft serializer (see <see cref="BulwarkSerialization.LegacyJsonSetup"/>):
/// resolves the old "$type" names of <see cref="LegacyTypeNames"/> to today's types and leaves
/// every other name to Newtonsoft's default resolution.
/// </summary>
public sealed class LegacyTypeBinder : ISerializationBinder
{
    private readonly DefaultSerializationBinder _default = new();

    public Type BindToType(string? assemblyName, string typeName) =>
        assemblyName is not null && LegacyTypeNames.Map.TryGetValue((assemblyName, typeName), out var type)
            ? type
            : _default.BindToType(assemblyName, typeName);

    public void BindToName(Type serializedType, out string? assemblyName, out string? typeName) =>
        _default.BindToName(serializedType, out assemblyName, out typeName);
}
