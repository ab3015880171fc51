using System.Net;
using Bulwark.Policy.Reputation;

namespace Bulwark.Node.Configuration.Conversion;

/// <summary>A list setting of networks ("10.0.0.0/8", "2001:db8::/32", or a single address).</summary>
public static class CidrList
{
    /// <summary>Null when every entry is a network; else the first that is not.</summary>
    public static string? Problem(IEnumerable<string> entries) =>
        entries.FirstOrDefault(entry => !IpNetworks.TryParse(entry, out _)) is { } bad ? $"'{bad}' is not a CIDR" : null;

    /// <summary>The networks of a list that <see cref="Problem"/> accepted (none: empty).</summary>
    public static IPNetwork[] Parse(IEnumerable<string>? entries) => (entries ?? []).Select(IpNetworks.Parse).ToArray();
}
