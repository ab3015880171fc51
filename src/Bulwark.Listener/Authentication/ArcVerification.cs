using Bulwark.Contracts.DnsPolicy;
using Bulwark.Policy.Arc;
using Bulwark.Policy.Dkim;
using MimeKit;
using MimeKit.Cryptography;

namespace Bulwark.Listener.Authentication;

/// <summary>
/// Validates a message's ARC chain (RFC 8617) with MimeKit's <see cref="ArcVerifier"/>, keys
/// from the DnsPolicy entity like DKIM's, and lists its sets (instance, sealer, the dmarc= its
/// ARC-Authentication-Results recorded) for the trusted-sealer override.
/// </summary>
public sealed class ArcVerification(Func<string, string, Task<DkimKeyAnswer>> lookUpKey)
{
    /// <summary>RFC 8617 section 4.2.1: a chain longer than this fails outright.</summary>
    public const int MaxInstances = 50;

    public async Task<ArcFindings> VerifyAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        var seals = message.Headers.Where(h => h.Id == HeaderId.ArcSeal).ToList();
        if (seals.Count == 0) return ArcFindings.None;
        var sets = ReadSets(message, seals);
        if (seals.Count > MaxInstances) return new ArcFindings(ArcChainOutcome.Fail, sets, $"more than {MaxInstances} ARC sets");
        var locator = new EntityKeyLocator(lookUpKey);
        var verifier = new ArcVerifier(locator) { MinimumRsaKeyLength = 1024 };
        verifier.Disable(DkimSignatureAlgorithm.RsaSha1);
        verifier.Enable(DkimSignatureAlgorithm.Ed25519Sha256);
        ArcValidationResult result;
        try
        {
            result = await verifier.VerifyAsync(message, cancellationToken);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            return new ArcFindings(ArcChainOutcome.Fail, sets, e.Message);
        }
        return result.Chain switch
        {
            ArcSignatureValidationResult.None => ArcFindings.None,
            ArcSignatureValidationResult.Pass => new ArcFindings(ArcChainOutcome.Pass, sets),
            // MimeKit folds every error into Fail; a key that could not be fetched for now is a
            // temporary state the sender's next try may not meet.
            _ when locator.TemporaryFailure is { } temporary => new ArcFindings(ArcChainOutcome.TempError, sets, temporary),
            _ => new ArcFindings(ArcChainOutcome.Fail, sets, FailureReason(result)),
        };
    }

    private static string FailureReason(ArcValidationResult result)
    {
        if (result.Seals is null) return "the ARC sets are incomplete, doubled or out of order";
        if (result.MessageSignature is { Signature: not ArcSignatureValidationResult.Pass }) return "the newest ARC-Message-Signature did not verify";
        var broken = Array.FindLastIndex(result.Seals, s => s is { Signature: not ArcSignatureValidationResult.Pass });
        return broken >= 0 ? $"the ARC-Seal of i={broken + 1} did not verify" : "a sealer recorded cv=fail";
    }

    private static List<ArcSet> ReadSets(MimeMessage message, List<Header> seals)
    {
        var dmarcByInstance = new Dictionary<int, string?>();
        foreach (var field in message.Headers.Where(h => h.Id == HeaderId.ArcAuthenticationResults))
        {
            if (!AuthenticationResults.TryParse(field.RawValue, out var results) || results.Instance is not { } instance) continue;
            dmarcByInstance.TryAdd(instance, results.Results.FirstOrDefault(r => r.Method.Equals("dmarc", StringComparison.OrdinalIgnoreCase))?.Result?.ToLowerInvariant());
        }
        var sets = new List<ArcSet>();
        foreach (var seal in seals)
        {
            var tags = DkimTags.Parse(seal.Value);
            if (tags is null || !int.TryParse(tags.GetValueOrDefault("i"), out var instance)) continue;
            sets.Add(new ArcSet(instance, tags.GetValueOrDefault("d", "").ToLowerInvariant(), dmarcByInstance.GetValueOrDefault(instance)));
        }
        sets.Sort((a, b) => a.Instance.CompareTo(b.Instance));
        return sets;
    }
}
