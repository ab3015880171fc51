using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;

namespace Bulwark.Contracts.Serialization;

/// <summary>
/// The one serializer of every <see cref="IWireContract"/>: System.Text.Json with the names
/// fixed by JsonPropertyName attributes, and a manifest from <see cref="WireManifests"/>
/// that names the meaning of the bytes, not a CLR type.
/// </summary>
/// <remarks>Its identifier, <see cref="Id"/>, is stored in every journal row and snapshot it
/// writes and sent with every message: it must never change.</remarks>
public sealed class BulwarkSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Bulwark's serializer identifier (Akka reserves 0-100 for its own).</summary>
    public const int Id = 2525;

    public override int Identifier => Id;

    public override string Manifest(object o) => WireManifests.ManifestOf(o.GetType());

    public override byte[] ToBinary(object obj)
    {
        var type = obj.GetType();
        // Refuse a type without a manifest here too: its bytes could never be read back.
        WireManifests.ManifestOf(type);
        return JsonSerializer.SerializeToUtf8Bytes(obj, type, WireJson.Options);
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        var type = WireManifests.TypeOf(manifest);
        try
        {
            return JsonSerializer.Deserialize(bytes, type, WireJson.Options)
                ?? throw new SerializationException($"'{manifest}' held null");
        }
        catch (JsonException e)
        {
            throw new SerializationException($"cannot read '{manifest}': {e.Message}", e);
        }
    }
}
