namespace Bulwark.Policy.Dmarc;

/// <summary>One DKIM signature of the message as the verifier left it: the signing domain (its
/// d= tag) and whether it verified. DMARC reads nothing else of a signature.</summary>
/// <param name="Domain">The d= domain, in any case, Unicode or A-labels.</param>
/// <param name="Status">The verification result.</param>
public readonly record struct DkimSignatureResult(string Domain, DkimSignatureStatus Status);
