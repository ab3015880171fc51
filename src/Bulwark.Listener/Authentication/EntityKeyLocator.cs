using Bulwark.Contracts.DnsPolicy;
using Bulwark.Policy.Dkim;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace Bulwark.Listener.Authentication;

/// <summary>The signing domain's key for MimeKit's ARC verifier, asked of the DnsPolicy entity
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
        var fetched = await KeyRecordFetch.FetchAsync(lookUpKey, domain, selector);
        if (fetched.Record is not { } record)
        {
            if (fetched.Outcome == DkimOutcome.TempError) TemporaryFailure = fetched.Reason;
            throw new KeyUnavailable(fetched.Outcome, fetched.Reason!);
        }
        if (DkimTags.IsRevokedKey(record)) throw new KeyUnavailable(DkimOutcome.PermError, "key revoked (empty p=)");
        try
        {
            return PublicKeyCache<AsymmetricKeyParameter>.GetOrParse(record, GetPublicKey);
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
