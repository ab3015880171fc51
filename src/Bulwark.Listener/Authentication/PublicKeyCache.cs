using System.Collections.Concurrent;

namespace Bulwark.Listener.Authentication;

/// <summary>
/// Parsed DKIM and ARC public keys by their key record, node-wide, one cache per key form
/// (<see cref="DkimPublicKey"/> for DKIM, BouncyCastle's for MimeKit's ARC verifier). Building
/// a key is the costly part: BouncyCastle checks an RSA modulus when it builds one (primality
/// tests on a 2048-bit number: about 15 ms of CPU, a hundred times the signature check), so a
/// key is built once per record, not once per message. Bounded: at <see cref="MaxEntries"/>
/// the cache starts over, which costs one rebuild per key in use and can never grow without
/// limit on a flood of distinct keys. The DNS answer itself stays cached by its TTL in the
/// resolver; a record that changes is a new entry here.
/// </summary>
internal static class PublicKeyCache<TKey> where TKey : class
{
    public const int MaxEntries = 10_000;

    private static readonly ConcurrentDictionary<string, TKey> Keys = new(StringComparer.Ordinal);

    public static TKey GetOrParse(string record, Func<string, TKey> parse)
    {
        if (Keys.TryGetValue(record, out var key)) return key;
        key = parse(record);
        if (Keys.Count >= MaxEntries) Keys.Clear();
        Keys[record] = key;
        return key;
    }

    /// <summary>For tests: how many keys are held.</summary>
    public static int Count => Keys.Count;
}
