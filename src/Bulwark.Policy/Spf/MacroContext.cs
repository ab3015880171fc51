using System.Net;

namespace Bulwark.Policy.Spf;

/// <summary>
/// The values macros expand to (RFC 7208 section 7.2). <see cref="ValidatedName"/> is the %{p}
/// value, which needs DNS: the evaluator resolves it before expanding a string that uses it.
/// </summary>
public sealed record MacroContext(
    string Sender,
    string LocalPart,
    string SenderDomain,
    string Domain,
    IPAddress Ip,
    string Helo,
    string ReceivingHost = "unknown",
    long Timestamp = 0,
    string ValidatedName = "unknown");
