namespace Bulwark.Policy.Dkim;

/// <summary>
/// A selector's key record (RFC 6376 section 3.6.1): the key type, the public key's bytes and
/// the restrictions the domain put on its use. Only the record is read here; turning the bytes
/// into a key is the crypto adapter's.
/// </summary>
/// <param name="KeyType">k=, lower case: rsa (the default) or ed25519.</param>
/// <param name="PublicKey">p=, decoded: DER (SubjectPublicKeyInfo or RSAPublicKey) for rsa, 32 bytes for ed25519.</param>
/// <param name="HashAlgorithms">h=, lower case, when given: the only hashes the key may sign with.</param>
/// <param name="Strict">t=s: i= must name exactly d=, not a subdomain.</param>
public sealed record DkimKeyRecord(string KeyType, byte[] PublicKey, IReadOnlyList<string>? HashAlgorithms, bool Strict)
{
    /// <summary>The record's key, or why no signature can verify with it.</summary>
    public static (DkimKeyRecord? Key, string? Error) Parse(string record)
    {
        if (DkimTags.Parse(record) is not { } tags) return (null, "malformed key record");
        if (tags.TryGetValue("v", out var v) && v != "DKIM1") return (null, "key record v= is not DKIM1");
        if (!tags.TryGetValue("p", out var p)) return (null, "no p= in the key record");
        if (p.Length == 0) return (null, "key revoked (empty p=)");
        var keyType = tags.TryGetValue("k", out var k) ? k.ToLowerInvariant() : "rsa";
        if (keyType is not ("rsa" or "ed25519")) return (null, $"unsupported key type {keyType}");
        if (tags.TryGetValue("s", out var services)
            && !services.Split(':').Select(s => s.Trim()).Any(s => s is "*" or "email"))
            return (null, "key not for email (s=)");
        var hashes = tags.TryGetValue("h", out var h) ? h.Split(':').Select(a => a.Trim().ToLowerInvariant()).ToList() : null;
        var strict = tags.TryGetValue("t", out var flags) && flags.Split(':').Any(f => f.Trim() == "s");
        byte[] key;
        try
        {
            // The decoder skips the folding white space a long key is split with.
            key = Convert.FromBase64String(p);
        }
        catch (FormatException)
        {
            return (null, "p= is not base64");
        }
        return (new DkimKeyRecord(keyType, key, hashes, strict), null);
    }

    /// <summary>Why this key may not verify <paramref name="signature"/>, or null when it may.</summary>
    public string? RefusesToVerify(DkimSignatureSpec signature)
    {
        if (KeyType != signature.KeyType) return $"a {KeyType} key cannot verify {signature.Algorithm}";
        if (HashAlgorithms is { } allowed && !allowed.Contains("sha256")) return "the key's h= does not allow sha256";
        if (Strict && signature.Identity is not null && signature.IdentityDomain != signature.Domain)
            return "the key's t=s allows no subdomain in i=";
        return null;
    }
}
