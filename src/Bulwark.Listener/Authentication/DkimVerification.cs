using System.Buffers;
using Bulwark.Contracts.DnsPolicy;
using Bulwark.Policy.Dkim;

namespace Bulwark.Listener.Authentication;

/// <summary>
/// Verifies a stored message's DKIM signatures (RFC 6376 section 6) from its bytes as they
/// were received: the header fields each signature names and the body, canonicalized as it
/// says (<see cref="RawHeaderBlock"/>, <see cref="DkimBodyHasher"/>), the signature checked
/// with the key its selector publishes (<see cref="DkimPublicKey"/>). Keys come from
/// <paramref name="lookUpKey"/> (the DnsPolicy entity), each (domain, selector) asked once per
/// message. The body is read once, in pieces, for every signature that shares its
/// canonicalization and l=, so a large message is not held in memory.
/// </summary>
/// <remarks>
/// Bulwark verified with MimeKit's DkimVerifier until the DMARC benchmark showed its RSA check
/// (BouncyCastle's arithmetic) to be a quarter of a millisecond per signature, more than all
/// the rest of DMARC together; the tests hold this verifier to MimeKit's and python3-dkim's
/// verdicts on the same messages. MimeKit's ArcVerifier still checks ARC chains.
/// </remarks>
public sealed class DkimVerification(Func<string, string, Task<DkimKeyAnswer>> lookUpKey, Func<DateTimeOffset>? now = null)
{
    /// <summary>A header section larger than this is not read further: its signatures are permerrors.</summary>
    public const int MaxHeaderBytes = HeaderSection.MaxBytes;

    private const int ReadSize = 16 * 1024;

    /// <summary>The signatures of a message read from <paramref name="stored"/>, header and body.</summary>
    public async Task<DkimFindings> VerifyAsync(Stream stored, int maxSignatures, CancellationToken cancellationToken = default)
    {
        var section = await HeaderSection.ReadAsync(stored, cancellationToken);
        return await VerifyAsync(section, () => Task.FromResult(stored), leaveOpen: true, maxSignatures, cancellationToken);
    }

    /// <summary>The signatures of a message whose header section was read already; the body is
    /// read from a new stream of it, and only if some signature needs it.</summary>
    public Task<DkimFindings> VerifyAsync(HeaderSection section, Func<Stream> open, int maxSignatures, CancellationToken cancellationToken = default) =>
        VerifyAsync(section with { BodyStart = ReadOnlyMemory<byte>.Empty }, () => section.OpenBodyAsync(open, cancellationToken), leaveOpen: false,
            maxSignatures, cancellationToken);

    private async Task<DkimFindings> VerifyAsync(HeaderSection section, Func<Task<Stream>> openBody, bool leaveOpen, int maxSignatures,
        CancellationToken cancellationToken)
    {
        var block = section.Block;
        var fields = block.ValuesOf("dkim-signature").ToList();
        if (fields.Count == 0) return DkimFindings.None;
        var checkedFields = fields.Take(maxSignatures).ToList();
        var notChecked = Math.Max(0, fields.Count - maxSignatures);
        if (section.TooLarge)
            return new DkimFindings(checkedFields.Select(f => Reported(f.Value, DkimOutcome.PermError, $"header section over {MaxHeaderBytes} bytes")).ToList(), notChecked);

        var specs = checkedFields.Select(f => (f.Index, f.Value, Parsed: DkimSignatureSpec.Parse(f.Value))).ToList();
        var keys = new Dictionary<(string, string), Task<(DkimPublicKey? Key, DkimOutcome Outcome, string? Reason)>>();
        foreach (var (_, _, (spec, _)) in specs)
            if (spec is not null && !keys.ContainsKey((spec.Domain, spec.Selector)))
                keys[(spec.Domain, spec.Selector)] = KeyAsync(spec.Domain, spec.Selector);
        var bodyHashes = await HashBodyAsync(section, openBody, leaveOpen, specs.Select(s => s.Parsed.Spec).OfType<DkimSignatureSpec>(),
            cancellationToken);

        var results = new List<DkimSignatureResult>(specs.Count);
        foreach (var (index, value, (spec, error)) in specs)
        {
            if (spec is null)
            {
                results.Add(Reported(value, DkimOutcome.PermError, error));
                continue;
            }
            var (key, outcome, reason) = await keys[(spec.Domain, spec.Selector)];
            results.Add(key is null ? Result(spec, outcome, reason) : Check(spec, key, bodyHashes[spec.BodyForm], block, index));
        }
        return new DkimFindings(results, notChecked);
    }

    private DkimSignatureResult Check(DkimSignatureSpec spec, DkimPublicKey key, (byte[] Hash, long Length) body, RawHeaderBlock block, int index)
    {
        if (key.RefusesToVerify(spec) is { } refusal) return Result(spec, DkimOutcome.PermError, refusal);
        if (spec.Expires is { } expires && expires < (now?.Invoke() ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds())
            return Result(spec, DkimOutcome.PermError, "signature expired (x=)");
        if (spec.BodyLength is { } signedLength && body.Length < signedLength)
            return Result(spec, DkimOutcome.Fail, $"the body is shorter than l={signedLength}");
        if (!body.Hash.AsSpan().SequenceEqual(spec.BodyHash)) return Result(spec, DkimOutcome.Fail, "body hash did not verify");
        if (!key.Verifies(block.SignedData(spec.SignedFields, index, spec.RelaxedHeaders), spec.Signature))
            return Result(spec, DkimOutcome.Fail, "signature did not verify");
        // l=: only that much of the body was signed; what follows could be anyone's.
        return Result(spec, DkimOutcome.Pass, spec.BodyLength is { } signed ? $"only the first {signed} bytes of the body were signed" : null);
    }

    private static DkimSignatureResult Result(DkimSignatureSpec spec, DkimOutcome outcome, string? reason) =>
        new(spec.Domain, spec.Selector, spec.Algorithm, outcome, reason, spec.BodyLength);

    /// <summary>A field that did not parse as a signature, reported with what of it can be read.</summary>
    private static DkimSignatureResult Reported(string value, DkimOutcome outcome, string? reason)
    {
        var tags = DkimTags.Parse(value);
        if (tags is null) return new DkimSignatureResult("", "", "", outcome, reason ?? "malformed signature");
        long? length = tags.TryGetValue("l", out var l) && long.TryParse(l, out var n) ? n : null;
        return new DkimSignatureResult(tags.GetValueOrDefault("d", "").ToLowerInvariant(), tags.GetValueOrDefault("s", ""),
            tags.GetValueOrDefault("a", "").ToLowerInvariant(), outcome, reason, length);
    }

    private async Task<(DkimPublicKey?, DkimOutcome, string?)> KeyAsync(string domain, string selector)
    {
        var fetched = await KeyRecordFetch.FetchAsync(lookUpKey, domain, selector);
        if (fetched.Record is not { } record) return (null, fetched.Outcome, fetched.Reason);
        try
        {
            return (PublicKeyCache<DkimPublicKey>.GetOrParse(record, Build), DkimOutcome.Pass, null);
        }
        catch (UnusableKey e)
        {
            return (null, DkimOutcome.PermError, e.Message);
        }
    }

    /// <summary>Only usable keys are kept: a record that gives none is read again (cheap) on its next use.</summary>
    private static DkimPublicKey Build(string record) => DkimPublicKey.FromRecord(record) switch
    {
        ({ } key, _) => key,
        (_, var error) => throw new UnusableKey(error!),
    };

    private sealed class UnusableKey(string reason) : Exception(reason);

    /// <summary>The body hash and canonical length of every body form the signatures use, in one read of the body.</summary>
    private static async Task<Dictionary<(bool, long?), (byte[], long)>> HashBodyAsync(HeaderSection section, Func<Task<Stream>> openBody,
        bool leaveOpen, IEnumerable<DkimSignatureSpec> specs, CancellationToken cancellationToken)
    {
        var hashers = specs.Select(s => s.BodyForm).Distinct().ToDictionary(f => f, f => new DkimBodyHasher(f.Relaxed, f.Length));
        Stream? stored = null;
        try
        {
            if (hashers.Count == 0) return [];
            foreach (var hasher in hashers.Values) hasher.Append(section.BodyStart.Span);
            stored = await openBody();
            var buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
            try
            {
                int read;
                while ((read = await stored.ReadAsync(buffer, cancellationToken)) > 0)
                    foreach (var hasher in hashers.Values)
                        hasher.Append(buffer.AsSpan(0, read));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            return hashers.ToDictionary(kv => kv.Key, kv => (kv.Value.Finish(), kv.Value.CanonicalLength));
        }
        finally
        {
            foreach (var hasher in hashers.Values) hasher.Dispose();
            if (!leaveOpen && stored is not null) await stored.DisposeAsync();
        }
    }
}
