using Bulwark.Policy.Dns;
using Bulwark.Policy.Spf;

namespace Bulwark.Dns.Spf;

/// <summary>
/// Unwinds a check_host() on permerror or temperror: both end the whole evaluation, through any
/// depth of include/redirect, so an exception is simpler than threading them through every call.
/// Only raised on error paths.
/// </summary>
internal sealed class SpfAbort(SpfOutcome outcome, string problem) : Exception(problem)
{
    public SpfOutcome Outcome { get; } = outcome;

    public static SpfAbort Perm(string problem) => new(SpfOutcome.PermError, problem);

    public static SpfAbort Temp(string problem) => new(SpfOutcome.TempError, problem);
}
