using System.Security.Cryptography;
using Bulwark.Policy.Dkim;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Bulwark.Listener.Authentication;

/// <summary>
/// A selector's public key, built once per key record (<see cref="PublicKeyCache{TKey}"/>),
/// that checks signatures. RSA goes through the platform's cryptography (OpenSSL on Debian): a
/// 2048-bit check costs a few tens of microseconds there, where BouncyCastle's arithmetic took a
/// quarter of a millisecond, the largest single cost of DKIM at the end of DATA. .NET has no
/// Ed25519, so ed25519-sha256 (RFC 8463) uses BouncyCastle.
/// </summary>
internal sealed class DkimPublicKey
{
    /// <summary>RFC 8301 section 3.2: RSA keys under this many bits must not be accepted.</summary>
    public const int MinimumRsaBits = 1024;

    private readonly DkimKeyRecord _record;
    private readonly RSA? _rsa;
    private readonly Ed25519PublicKeyParameters? _ed25519;
    private readonly object _rsaLock = new();

    private DkimPublicKey(DkimKeyRecord record, RSA? rsa, Ed25519PublicKeyParameters? ed25519)
    {
        _record = record;
        _rsa = rsa;
        _ed25519 = ed25519;
    }

    /// <summary>The key of <paramref name="record"/>, or why no signature can verify with it.</summary>
    public static (DkimPublicKey? Key, string? Error) FromRecord(string record)
    {
        var (parsed, error) = DkimKeyRecord.Parse(record);
        if (parsed is null) return (null, error);
        if (parsed.KeyType == "ed25519")
            return parsed.PublicKey.Length == Ed25519PublicKeyParameters.KeySize
                ? (new DkimPublicKey(parsed, null, new Ed25519PublicKeyParameters(parsed.PublicKey)), null)
                : (null, "an ed25519 key is 32 bytes");
        var rsa = RSA.Create();
        try
        {
            try
            {
                rsa.ImportSubjectPublicKeyInfo(parsed.PublicKey, out _);
            }
            catch (CryptographicException)
            {
                // Some domains publish the bare RSAPublicKey that RFC 6376's text describes.
                rsa.ImportRSAPublicKey(parsed.PublicKey, out _);
            }
        }
        catch (CryptographicException e)
        {
            rsa.Dispose();
            return (null, $"unusable RSA key: {e.Message}");
        }
        if (rsa.KeySize < MinimumRsaBits)
        {
            var bits = rsa.KeySize;
            rsa.Dispose();
            return (null, $"RSA key of {bits} bits, under {MinimumRsaBits} (RFC 8301)");
        }
        return (new DkimPublicKey(parsed, rsa, null), null);
    }

    /// <summary>Why this key may not check <paramref name="signature"/> (k=, h=, t=s), or null.</summary>
    public string? RefusesToVerify(DkimSignatureSpec signature) => _record.RefusesToVerify(signature);

    /// <summary>Whether <paramref name="signature"/> signs <paramref name="signedData"/> (RFC 6376 section 3.7, RFC 8463 section 3).</summary>
    public bool Verifies(byte[] signedData, byte[] signature)
    {
        if (_rsa is { } rsa)
        {
            // The key is shared by every session on the node; the platform does not promise
            // that one RSA object may be used from several threads at once.
            lock (_rsaLock) return rsa.VerifyData(signedData, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        var verifier = new Ed25519Signer();
        verifier.Init(false, _ed25519);
        var digest = SHA256.HashData(signedData);
        verifier.BlockUpdate(digest, 0, digest.Length);
        return verifier.VerifySignature(signature);
    }
}
