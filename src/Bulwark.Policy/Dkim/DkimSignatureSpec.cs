namespace Bulwark.Policy.Dkim;

/// <summary>
/// What a DKIM-Signature field asks the verifier to check (RFC 6376 section 3.5), read and
/// validated before any key is fetched or byte hashed: a field that fails here is a permerror
/// whatever its key says (section 6.1.1).
/// </summary>
/// <param name="Algorithm">a=, lower case: rsa-sha256 or ed25519-sha256 (rsa-sha1 is refused, RFC 8301).</param>
/// <param name="Domain">d=, lower case.</param>
/// <param name="SignedFields">h=, in order, lower case: the header fields the signature covers.</param>
/// <param name="BodyLength">l=: the count of canonical body bytes signed, when given.</param>
/// <param name="Identity">i=, when given: the agent or user, at d= or a subdomain of it.</param>
/// <param name="Expires">x=, seconds since the epoch, when given.</param>
public sealed record DkimSignatureSpec(
    string Algorithm,
    string Domain,
    string Selector,
    bool RelaxedHeaders,
    bool RelaxedBody,
    IReadOnlyList<string> SignedFields,
    byte[] BodyHash,
    byte[] Signature,
    long? BodyLength,
    string? Identity,
    long? Expires)
{
    public const string RsaSha256 = "rsa-sha256";
    public const string Ed25519Sha256 = "ed25519-sha256";

    /// <summary>The key type (k=) this algorithm needs.</summary>
    public string KeyType => Algorithm == Ed25519Sha256 ? "ed25519" : "rsa";

    /// <summary>The body canonicalization and length: signatures that share it share one pass over the body.</summary>
    public (bool Relaxed, long? Length) BodyForm => (RelaxedBody, BodyLength);

    /// <summary>The domain part of i=, lower case ("" when i= is absent).</summary>
    public string IdentityDomain => Identity is { } i && i.LastIndexOf('@') is var at and >= 0 ? i[(at + 1)..].ToLowerInvariant() : "";

    /// <summary>The specification of a field's value, or why it can never verify.</summary>
    public static (DkimSignatureSpec? Spec, string? Error) Parse(string value)
    {
        if (DkimTags.Parse(value) is not { } tags) return (null, "malformed tag list");
        string? Tag(string name) => tags.TryGetValue(name, out var v) ? v : null;

        if (Tag("v") != "1") return (null, "v= is not 1");
        foreach (var required in new[] { "a", "b", "bh", "d", "h", "s" })
            if (string.IsNullOrEmpty(Tag(required))) return (null, $"no {required}= tag");

        var algorithm = Tag("a")!.ToLowerInvariant();
        if (algorithm == "rsa-sha1") return (null, "rsa-sha1 is not accepted (RFC 8301)");
        if (algorithm is not (RsaSha256 or Ed25519Sha256)) return (null, $"unsupported algorithm {algorithm}");

        var domain = Tag("d")!.ToLowerInvariant();
        var signed = Tag("h")!.Split(':').Select(f => f.Trim(' ', '\t', '\r', '\n').ToLowerInvariant()).ToList();
        if (signed.Any(f => f.Length == 0)) return (null, "empty field name in h=");
        // Section 5.4: the From field must be signed, or the signature says nothing of the author.
        if (!signed.Contains("from")) return (null, "h= does not include From");

        var (relaxedHeaders, relaxedBody, canonError) = ParseCanonicalization(Tag("c"));
        if (canonError is not null) return (null, canonError);

        if (Base64(Tag("bh")!) is not { } bodyHash) return (null, "bh= is not base64");
        if (Base64(Tag("b")!) is not { } signature) return (null, "b= is not base64");

        long? length = null;
        if (Tag("l") is { } l)
        {
            if (!long.TryParse(l, System.Globalization.NumberStyles.None, null, out var parsed)) return (null, "l= is not a number");
            length = parsed;
        }

        if (Tag("q") is { } q && !q.Split(':').Any(m => m.Trim().Equals("dns/txt", StringComparison.OrdinalIgnoreCase)))
            return (null, "q= offers no dns/txt");

        var identity = Tag("i");
        if (identity is not null)
        {
            var at = identity.LastIndexOf('@');
            if (at < 0) return (null, "i= has no @");
            var id = identity[(at + 1)..].ToLowerInvariant();
            if (id != domain && !id.EndsWith("." + domain, StringComparison.Ordinal)) return (null, "i= is not in d= or a subdomain of it");
        }

        long? expires = null;
        if (Tag("x") is { } x)
        {
            if (!long.TryParse(x, System.Globalization.NumberStyles.None, null, out var parsed)) return (null, "x= is not a number");
            expires = parsed;
            if (Tag("t") is { } t && long.TryParse(t, out var signedAt) && parsed < signedAt) return (null, "x= is before t=");
        }

        return (new DkimSignatureSpec(algorithm, domain, Tag("s")!, relaxedHeaders, relaxedBody, signed, bodyHash, signature, length,
            identity, expires), null);
    }

    private static (bool Headers, bool Body, string? Error) ParseCanonicalization(string? c)
    {
        if (c is null) return (false, false, null);
        var parts = c.ToLowerInvariant().Split('/');
        if (parts.Length > 2) return (false, false, "malformed c=");
        bool? Form(string p) => p switch { "simple" => false, "relaxed" => true, _ => null };
        var headers = Form(parts[0]);
        var body = parts.Length == 2 ? Form(parts[1]) : false;
        return headers is null || body is null ? (false, false, $"unknown canonicalization {c}") : (headers.Value, body.Value, null);
    }

    /// <summary>Base64 with folding white space anywhere in it (section 2.4), which the decoder skips.</summary>
    private static byte[]? Base64(string text)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
