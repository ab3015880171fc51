namespace Bulwark.Policy.Dmarc;

/// <summary>How closely an authenticated domain must match the From domain (the adkim= and
/// aspf= tags, RFC 7489 section 3.1).</summary>
public enum DmarcAlignmentMode
{
    /// <summary>"r", the default: the same Organizational Domain is enough.</summary>
    Relaxed,
    /// <summary>"s": the domains must be identical.</summary>
    Strict,
}
