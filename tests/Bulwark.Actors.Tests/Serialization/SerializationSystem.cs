using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using Bulwark.Contracts.Serialization;

namespace Bulwark.Actors.Tests.Serialization;

/// <summary>One actor system with the node's serialization settings for a test class.</summary>
public sealed class SerializationSystem : IDisposable
{
    public SerializationSystem()
    {
        var setup = BootstrapSetup.Create()
            .WithConfig(ConfigurationFactory.ParseString(BulwarkSerialization.Hocon))
            .And(BulwarkSerialization.LegacyJsonSetup());
        System = ActorSystem.Create("serialization", setup);
    }

    public ActorSystem System { get; }

    public Akka.Serialization.Serialization Serialization => System.Serialization;

    /// <summary>What a journal row or a remote envelope would carry.</summary>
    public (int Identifier, string Manifest, byte[] Bytes) Write(object message)
    {
        var serializer = Serialization.FindSerializerFor(message);
        return (serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, message), serializer.ToBinary(message));
    }

    public object Read(int identifier, string manifest, byte[] bytes) => Serialization.Deserialize(bytes, identifier, manifest);

    public void Dispose() => System.Terminate().Wait(TimeSpan.FromSeconds(10));
}
