using Bulwark.Contracts.DnsPolicy;
using Bulwark.Policy.Dkim;
using Bulwark.Policy.Dns;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace Bulwark.Listener.Authentication;

/// <summary>The signing domain's key for DKIM and ARC verification, asked of the DnsPolicy entity
/// through <c>lookUpKey</c>, each (domain, selector) once per message; or why there is none
/// (<see cref="KeyUnavailable"/>, with the outcome it means for the signature).</summary>
internal sealed class EntityKeyLocator(Func<string, string, Task<DkimKeyAnswer>> lookUpKey) : DkimPublicKeyLocatorBase
{
    private readonly Dictionary<(string, string), Task<AsymmetricKeyParameter>> _keys = new();

    /// <summary>Why a key could not be fetched for now, when one could not: verifiers that fold
    /// every error into "fail" (MimeKit's ARC verifier) read it to tell a temperror.</summary>
    public string? TemporaryFailure { get; private set; }

    public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        LocatePublicKeyAsync(methods, domain, selector, cancellationToken).GetAwaiter().GetResult();

    public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector,
        CancellationToken cancellationToken = default)
    {
        var key = (domain.ToLowerInvariant(), selector);
        if (!_keys.TryGetValue(key, out var found)) _keys[key] = found = FetchAsync(domain, selector);
        return found;
    }

    private async Task<AsymmetricKeyParameter> FetchAsync(string domain, string selector)
    {
        DkimKeyAnswer answer;
        try
        {
            answer = await lookUpKey(domain, selector);
        }
        catch (Exception e)
        {
            TemporaryFailure = $"key lookup failed: {e.Message}";
            throw new KeyUnavailable(DkimOutcome.TempError, TemporaryFailure);
        }
        switch (answer.Status)
        {
            case DnsStatus.NxDomain or DnsStatus.NoData:
                throw new KeyUnavailable(DkimOutcome.PermError, $"no key published at {selector}._domainkey.{domain}");
            case not DnsStatus.Ok:
                TemporaryFailure = $"key lookup for {selector}._domainkey.{domain}: {answer.Status}";
                throw new KeyUnavailable(DkimOutcome.TempError, TemporaryFailure);
        }
        if (answer.Record is not { } record || !record.Contains("p=", StringComparison.Ordinal)) throw new KeyUnavailable(DkimOutcome.PermError, "no key record at the selector");
        if (DkimTags.IsRevokedKey(record)) throw new KeyUnavailable(DkimOutcome.PermError, "key revoked (empty p=)");
        try
        {
            return PublicKeyCache.GetOrParse(record, GetPublicKey);
        }
        catch (Exception e) when (e is not KeyUnavailable)
        {
            throw new KeyUnavailable(DkimOutcome.PermError, $"unusable key record: {e.Message}");
        }
    }

    public sealed class KeyUnavailable(DkimOutcome outcome, string message) : Exception(message)
    {
        public DkimOutcome Outcome { get; } = outcome;
    }
}
