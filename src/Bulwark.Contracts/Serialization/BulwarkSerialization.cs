using Akka.Serialization;

namespace Bulwark.Contracts.Serialization;

/// <summary>
/// What every node (and every test actor system that reads a journal) adds to its Akka
/// configuration: the HOCON binding of <see cref="IWireContract"/> to <see cref="BulwarkSerializer"/>,
/// and the Newtonsoft setup that reads the journal rows older releases wrote.
/// </summary>
public static class BulwarkSerialization
{
    /// <summary>The serializer's name in HOCON.</summary>
    public const string SerializerName = "bulwark";

    public const string Hocon = """
        akka.actor {
          serializers {
            bulwark = "Bulwark.Contracts.Serialization.BulwarkSerializer, Bulwark.Contracts"
          }
          serialization-bindings {
            "Bulwark.Contracts.Serialization.IWireContract, Bulwark.Contracts" = bulwark
          }
        }
        """;

    /// <summary>For Akka.Hosting's AddSetup or an ActorSystemSetup: Akka's Newtonsoft
    /// serializer (identifier 1) then resolves the legacy "$type" names.</summary>
    public static NewtonSoftJsonSerializerSetup LegacyJsonSetup() =>
        NewtonSoftJsonSerializerSetup.Create(settings => settings.SerializationBinder = new LegacyTypeBinder());
}
