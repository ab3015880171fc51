using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Dkim;

/// <summary>How one DKIM signature ended (RFC 6376 section 6.1, with RFC 8601's result keywords).</summary>
public enum DkimOutcome
{
    /// <summary>The signature verified.</summary>
    Pass,
    /// <summary>The signature did not verify: the message or the signed fields changed, or the key does not match.</summary>
    Fail,
    /// <summary>It could not be checked now (the key's DNS lookup timed out or failed).</summary>
    TempError,
    /// <summary>It can never verify: malformed, no key published, key revoked, key too weak, unsupported algorithm.</summary>
    PermError,
}

/// <summary>One DKIM-Signature field's verdict.</summary>
/// <param name="Domain">Its d= (lower case), "" when the field was too broken to say.</param>
/// <param name="Selector">Its s=.</param>
/// <param name="Algorithm">Its a= (rsa-sha256, ed25519-sha256, ...).</param>
/// <param name="Reason">Why it did not pass, for logs and the Authentication-Results comment.</param>
/// <param name="BodyLength">Its l= when present: only that much of the body was signed, and
/// anything after it could have been added by anyone.</param>
public sealed record DkimSignatureResult(string Domain, string Selector, string Algorithm, DkimOutcome Result, string? Reason = null,
    long? BodyLength = null);

/// <summary>What the DKIM check found: the verdict of each signature it looked at, in the order
/// of the fields, and how many more it did not look at (beyond the cap).</summary>
public sealed record DkimFindings(IReadOnlyList<DkimSignatureResult> Signatures, int NotChecked = 0) : IFinding
{
    public static readonly DkimFindings None = new([]);
}
