using Bulwark.Node.Configuration.Binding;

namespace Bulwark.Node.Configuration.Validation;

/// <summary>Reputation: strike and block bounds; the longest block is not shorter than the first.</summary>
public sealed class ReputationValidator : SectionValidator
{
    protected override void Check(BulwarkOptions options, SettingProblems problems)
    {
        var reputation = options.Reputation;
        problems.InRange("Reputation:StrikeThreshold", reputation.StrikeThreshold, 1, 100_000);
        problems.InRangeSeconds("Reputation:StrikeWindowSeconds", reputation.StrikeWindowSeconds, 1, 86400 * 7);
        problems.InRangeSeconds("Reputation:BaseBlockSeconds", reputation.BaseBlockSeconds, 1, 86400 * 30);
        problems.InRangeSeconds("Reputation:MaxBlockSeconds", reputation.MaxBlockSeconds, 1, 86400 * 365);
        problems.InRangeSeconds("Reputation:OffenceMemorySeconds", reputation.OffenceMemorySeconds, 1, 86400 * 365);
        problems.InRange("Reputation:MaxConnectionsPerIp", reputation.MaxConnectionsPerIp, 1, 100_000);
        // Compared as the durations the node will use, and only once both are usable durations.
        if (!problems.Any && TimeSpan.FromSeconds(reputation.MaxBlockSeconds) < TimeSpan.FromSeconds(reputation.BaseBlockSeconds))
            problems.Add("Reputation:MaxBlockSeconds", "must not be shorter than Reputation:BaseBlockSeconds");
    }
}
