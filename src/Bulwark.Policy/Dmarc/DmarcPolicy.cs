namespace Bulwark.Policy.Dmarc;

/// <summary>What a domain owner asks a receiver to do with mail that fails DMARC (the p= and sp=
/// tags, RFC 7489 section 6.3), and also the disposition a receiver applied.</summary>
public enum DmarcPolicy
{
    /// <summary>No specific action: the owner only wants the reports.</summary>
    None,
    /// <summary>Treat the mail as suspicious (for Bulwark: accept it and mark it).</summary>
    Quarantine,
    /// <summary>Refuse the mail during the SMTP transaction.</summary>
    Reject,
}
