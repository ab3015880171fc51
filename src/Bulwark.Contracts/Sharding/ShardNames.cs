namespace Bulwark.Contracts.Sharding;

/// <summary>Type names of the shard regions; every node must use the same ones.</summary>
public static class ShardNames
{
    public const string IpReputation = "ip-reputation";
    public const string RecipientDirectory = "recipient-directory";
    public const string DnsPolicy = "dns-policy";
}
