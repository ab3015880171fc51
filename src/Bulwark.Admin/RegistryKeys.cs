namespace Bulwark.Admin;

/// <summary>Keys of the actors the node registers with Akka.Hosting's ActorRegistry.</summary>
public sealed class IpReputationRegion;

public sealed class RecipientDirectoryRegion;

public sealed class DeliveryActorKey;

public sealed class BlockCacheKey;

public sealed class DnsPolicyRegion;
