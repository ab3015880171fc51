using System.Net;

namespace Bulwark.Policy.Content;

/// <summary>What the spam scanner is told besides the message (rspamd uses it in its rules).</summary>
public sealed record ScanContext(
    string QueueId,
    IPAddress ClientIp,
    string Helo,
    string Sender,
    IReadOnlyList<string> Recipients,
    string? SpfResult,
    string? ClientHostname);
