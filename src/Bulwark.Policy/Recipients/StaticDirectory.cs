namespace Bulwark.Policy.Recipients;

/// <summary>
/// What a domain's directory knows from its configuration alone: postmaster (always, RFC 5321
/// 4.5.1), the static list, catch-all, and, for a domain without call-ahead, that anyone else
/// is unknown. Every node loads the same configuration, so a listener answers these itself and
/// asks the sharded entity only when a call-ahead probe (shared and cached there) must decide.
/// </summary>
public static class StaticDirectory
{
    /// <param name="localPart">The local part, lower case.</param>
    /// <returns>The answer and its source ("static", "catch-all"), or null when only the
    /// call-ahead probe can tell.</returns>
    public static (RecipientExistence Existence, string Source)? Answer(DomainDirectoryOptions options, string localPart)
    {
        if (localPart == "postmaster" || options.StaticRecipients.Contains(localPart)) return (RecipientExistence.Exists, "static");
        if (options.CatchAll) return (RecipientExistence.Exists, "catch-all");
        if (!options.CallAhead.Enabled) return (RecipientExistence.Unknown, "static");
        return null;
    }
}
