using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Spf;

/// <summary>
/// The outcome of one check_host() evaluation.
/// </summary>
/// <param name="Result">The RFC 7208 result.</param>
/// <param name="Domain">The domain whose policy was checked (the MAIL FROM / HELO domain).</param>
/// <param name="Explanation">For <see cref="SpfOutcome.Fail"/> only: the expanded exp= text, or the
/// receiver's default explanation when exp= is absent or unusable.</param>
/// <param name="Mechanism">The mechanism that decided the result, as written (e.g. "-all",
/// "include:_spf.example.com"), or "default" when no mechanism matched; null for errors and none.</param>
/// <param name="Problem">Why a permerror / temperror / none happened, for logs and Received-SPF.</param>
public sealed record SpfResult(
    SpfOutcome Result,
    string Domain,
    string? Explanation = null,
    string? Mechanism = null,
    string? Problem = null) : IFinding;
