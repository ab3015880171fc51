namespace Bulwark.Policy.Dmarc;

/// <summary>How the verification of one DKIM signature ended (RFC 6376 section 6.1; the
/// Authentication-Results keywords of RFC 8601).</summary>
public enum DkimSignatureStatus
{
    /// <summary>The signature verified.</summary>
    Pass,
    /// <summary>The signature did not verify (a bad hash or signature, a revoked key).</summary>
    Fail,
    /// <summary>The key could not be fetched for now (a DNS timeout or SERVFAIL): it might verify later.</summary>
    TempError,
    /// <summary>The signature or its key is unusable for good (a syntax error, an unknown algorithm).</summary>
    PermError,
}
