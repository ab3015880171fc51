using System.Net;

namespace Bulwark.Admin.Http;

/// <summary>Where the admin port listens and who may change state through it.</summary>
/// <param name="Port">0 switches the admin port off.</param>
/// <param name="Token">The bearer token; required off loopback, and for every state change when set.</param>
public sealed record AdminSettings(IPAddress Address, int Port, string? Token = null)
{
    public bool IsLoopbackOnly => IPAddress.IsLoopback(Address);

    /// <summary>How long an admin request waits for an entity (the node's Smtp:AskTimeout).</summary>
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
