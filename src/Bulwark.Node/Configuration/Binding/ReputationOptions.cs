namespace Bulwark.Node.Configuration.Binding;

/// <summary>The Reputation section: strikes, blocks and the per-IP connection limit.</summary>
public sealed class ReputationOptions
{
    public bool Enabled { get; set; } = true;
    public int StrikeThreshold { get; set; } = 5;
    public double StrikeWindowSeconds { get; set; } = 600;
    public double BaseBlockSeconds { get; set; } = 900;
    public double MaxBlockSeconds { get; set; } = 86400;
    public double OffenceMemorySeconds { get; set; } = 604800;
    public int MaxConnectionsPerIp { get; set; } = 20;
    public SettingList? Allowlist { get; set; }
}
