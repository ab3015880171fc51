using Bulwark.EndToEnd.Tests.Infrastructure;

namespace Bulwark.EndToEnd.Tests;

public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("BULWARK_Smtp__Port", "abc", "Smtp:Port")]
    [InlineData("BULWARK_Smtp__MaxRecipients", "0", "Smtp:MaxRecipients")]
    [InlineData("BULWARK_Reputation__Enabled", "maybe", "Reputation:Enabled")]
    [InlineData("BULWARK_Domains__0__RecipientsFile", "/nonexistent/recipients.txt", "Domains:0:RecipientsFile")]
    [InlineData("BULWARK_Persistence__Provider", "oracle", "Persistence:Provider")]
    public async Task A_bad_value_stops_the_node_with_one_line_naming_the_key(string variable, string value, string key)
    {
        using var node = new BulwarkNode(new Dictionary<string, string> { [variable] = value });
        var exit = await node.RunToExitAsync(TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, exit);
        var line = Assert.Single(node.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"bulwark: configuration error: {key}: ", line);
    }
}
