namespace Bulwark.Policy.Dmarc;

/// <summary>The two authenticated identifiers DMARC aligns with the From domain (RFC 7489 section 3.1).</summary>
public enum DmarcIdentifier
{
    /// <summary>The domain a DKIM signature's d= tag names.</summary>
    Dkim,
    /// <summary>The domain SPF authorised: the MAIL FROM domain, or the HELO domain for the null sender.</summary>
    Spf,
}

/// <summary>The identifier that passed and aligned, and its domain.</summary>
/// <param name="Identifier">DKIM or SPF.</param>
/// <param name="Domain">The d= domain or the SPF domain, in normal form (<see cref="DmarcDomains"/>).</param>
public readonly record struct DmarcAlignedIdentifier(DmarcIdentifier Identifier, string Domain);
