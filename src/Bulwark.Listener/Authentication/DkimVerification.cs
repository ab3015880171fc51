using Bulwark.Contracts.DnsPolicy;
using Bulwark.Policy.Dkim;
using Bulwark.Policy.Dns;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace Bulwark.Listener.Authentication;

/// <summary>
/// Verifies a stored message's DKIM signatures with MimeKit's <see cref="DkimVerifier"/>. Keys
/// come from <paramref name="lookUpKey"/> (the DnsPolicy entity), each (domain, selector) asked
/// once per message. RSA keys under 1024 bits are refused (RFC 8301), rsa-sha1 is not accepted,
/// ed25519-sha256 (RFC 8463) is.
/// </summary>
public sealed class DkimVerification(Func<string, string, Task<DkimKeyAnswer>> lookUpKey)
{
    public async Task<DkimFindings> VerifyAsync(Stream stored, int maxSignatures, CancellationToken cancellationToken = default)
    {
        // Persistent: the parts stay in the spool file and are read from it, so a large message
        // is not held in memory.
        var message = await MimeMessage.LoadAsync(ParserOptions.Default, stored, persistent: true, cancellationToken);
        return await VerifyAsync(message, maxSignatures, cancellationToken);
    }

    /// <summary>The same, for a message already parsed (once, for every check that reads it).</summary>
    public async Task<DkimFindings> VerifyAsync(MimeMessage message, int maxSignatures, CancellationToken cancellationToken = default)
    {
        var fields = message.Headers.Where(h => h.Id == HeaderId.DkimSignature).ToList();
        if (fields.Count == 0) return DkimFindings.None;
        var verifier = new DkimVerifier(new EntityKeyLocator(lookUpKey)) { MinimumRsaKeyLength = 1024 };
        verifier.Disable(DkimSignatureAlgorithm.RsaSha1);
        verifier.Enable(DkimSignatureAlgorithm.Ed25519Sha256);
        var results = new List<DkimSignatureResult>(Math.Min(fields.Count, maxSignatures));
        foreach (var field in fields.Take(maxSignatures))
            results.Add(await VerifyOneAsync(verifier, message, field, cancellationToken));
        return new DkimFindings(results, Math.Max(0, fields.Count - maxSignatures));
    }

    private static async Task<DkimSignatureResult> VerifyOneAsync(DkimVerifier verifier, MimeMessage message, Header field, CancellationToken ct)
    {
        var tags = DkimTags.Parse(field.Value);
        if (tags is null) return new DkimSignatureResult("", "", "", DkimOutcome.PermError, "malformed signature");
        var domain = tags.GetValueOrDefault("d", "").ToLowerInvariant();
        var selector = tags.GetValueOrDefault("s", "");
        var algorithm = tags.GetValueOrDefault("a", "").ToLowerInvariant();
        long? bodyLength = tags.TryGetValue("l", out var l) && long.TryParse(l, out var length) ? length : null;
        DkimSignatureResult Result(DkimOutcome outcome, string? reason = null) => new(domain, selector, algorithm, outcome, reason, bodyLength);
        if (algorithm == "rsa-sha1") return Result(DkimOutcome.PermError, "rsa-sha1 is not accepted (RFC 8301)");
        try
        {
            var verified = await verifier.VerifyAsync(message, field, ct);
            if (!verified) return Result(DkimOutcome.Fail, "signature did not verify");
            // l=: only that much of the body was signed; what follows could be anyone's.
            return Result(DkimOutcome.Pass, bodyLength is { } signed ? $"only the first {signed} bytes of the body were signed" : null);
        }
        catch (EntityKeyLocator.KeyUnavailable unavailable)
        {
            return Result(unavailable.Outcome, unavailable.Message);
        }
        catch (Exception e) when (e is FormatException or NotSupportedException or ArgumentException or ParseException
            or InvalidOperationException or Org.BouncyCastle.Security.SecurityUtilityException)
        {
            return Result(DkimOutcome.PermError, e.Message);
        }
    }
}
