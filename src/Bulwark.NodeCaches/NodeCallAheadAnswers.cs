using Bulwark.Contracts.RecipientDirectory;
using Bulwark.Policy.Recipients;

namespace Bulwark.NodeCaches;

/// <summary>
/// A listener node's copy of the call-ahead answers its sessions got from the RecipientDirectory
/// entities, each kept only until the entity's own cache would drop it (the answer's
/// ValidUntil), so a repeated recipient is answered without a round trip to the entity, which
/// may live on another node. Bounded per domain like the entity's cache; shared by the node's
/// sessions, hence the lock (held for a dictionary lookup or insert only).
/// </summary>
public sealed class NodeCallAheadAnswers(RecipientDirectoryOptions directory)
{
    private readonly Dictionary<string, CallAheadCache> _domains = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    public bool TryGet(string domain, string localPart, DateTimeOffset now, out RecipientExistence existence)
    {
        bool exists;
        lock (_lock)
        {
            if (!_domains.TryGetValue(domain, out var cache) || !cache.TryGet(localPart, now, out exists))
            {
                existence = RecipientExistence.TemporaryFailure;
                return false;
            }
        }
        existence = exists ? RecipientExistence.Exists : RecipientExistence.Unknown;
        return true;
    }

    /// <summary>Keeps an entity's answer if it says for how long it holds.</summary>
    public void Keep(RecipientAnswer answer, DateTimeOffset now)
    {
        if (answer.ValidUntil is not { } until || until <= now || answer.Existence == RecipientExistence.TemporaryFailure) return;
        lock (_lock)
        {
            if (!_domains.TryGetValue(answer.Domain, out var cache))
                _domains[answer.Domain] = cache = new CallAheadCache(directory.For(answer.Domain).CallAhead.MaxCachedEntries);
            cache.Put(answer.LocalPart, answer.Existence == RecipientExistence.Exists, until);
        }
    }
}
