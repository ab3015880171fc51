namespace Bulwark.Policy.Dmarc;

/// <summary>The DMARC result of a message (RFC 7489 section 11.2; the Authentication-Results
/// "dmarc=" keywords of RFC 8601).</summary>
public enum DmarcOutcome
{
    /// <summary>SPF or a DKIM signature passed and aligned with the From domain.</summary>
    Pass,
    /// <summary>A policy exists and no identifier passed aligned.</summary>
    Fail,
    /// <summary>The From domain publishes no usable policy: DMARC does not apply.</summary>
    None,
    /// <summary>A temporary failure (a DNS lookup of the policy, or an SPF or DKIM temperror that
    /// could have given an aligned pass): try again later rather than decide.</summary>
    TempError,
}
