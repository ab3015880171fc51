using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Dns;

/// <summary>The client's forward-confirmed reverse DNS (iprev); PtrName is the confirmed name on a pass.</summary>
public sealed record IprevAnswer(IprevResult Result, string? PtrName) : IFinding;
