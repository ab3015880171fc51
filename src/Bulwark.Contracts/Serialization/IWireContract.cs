namespace Bulwark.Contracts.Serialization;

/// <summary>
/// A type that leaves the process: a sharded message or its reply, a block event on the
/// pub-sub topic, or something the IpReputation entity writes to the journal or the snapshot
/// store. The node's HOCON (<see cref="BulwarkSerialization.Hocon"/>) binds this interface
/// to <see cref="BulwarkSerializer"/>, so none of these ever reaches Akka's default
/// Newtonsoft serializer, whose output names the CLR type and breaks on a rename.
/// </summary>
/// <remarks>A type implementing it needs an entry in <see cref="WireManifests"/> and a
/// JsonPropertyName on every property; the serialization tests check both.</remarks>
public interface IWireContract;
