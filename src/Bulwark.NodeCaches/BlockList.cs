using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Bulwark.Policy.Reputation;
using Bulwark.Contracts.IpReputation;

namespace Bulwark.NodeCaches;

/// <summary>One block in force (or recently in force; expired ones are pruned on a timer).</summary>
public sealed record BlockEntry(string IpKey, DateTimeOffset Until, string Reason);

/// <summary>
/// The listener's local copy of the farm's blocks, read by the accept gate on every
/// connection. Reads are lock-free (ConcurrentDictionary.TryGetValue) and allocate nothing:
/// the lookup key is a struct computed from the address bytes on the stack, not the string
/// IP key. Writes come from one <see cref="BlockCacheActor"/>.
/// </summary>
public sealed class BlockList
{
    private readonly ConcurrentDictionary<AddressKey, BlockEntry> _entries = new();

    public int Count => _entries.Count;

    public bool IsBlocked(IPAddress ip, DateTimeOffset now, out string? reason)
    {
        reason = null;
        // No IsEmpty shortcut: on an empty ConcurrentDictionary it takes every bucket lock.
        if (!AddressKey.TryFrom(ip, out var key)
            || !_entries.TryGetValue(key, out var entry) || entry.Until <= now)
            return false;
        reason = entry.Reason;
        return true;
    }

    /// <summary>By IP key (operator tools, tests).</summary>
    public bool IsBlocked(string ipKey, DateTimeOffset now, out string? reason)
    {
        reason = null;
        if (!IpKey.TryGetAddress(ipKey, out var address))
            return false;
        return IsBlocked(address, now, out reason);
    }

    /// <summary>The latest event for a key wins; events must be applied in their order.</summary>
    public void Apply(IBlockEvent evt)
    {
        if (!IpKey.TryGetAddress(evt.IpKey, out var address) || !AddressKey.TryFrom(address, out var key))
            return;
        switch (evt)
        {
            case IpBlocked b:
                _entries[key] = new BlockEntry(IpKey.For(address), b.Until, b.Reason);
                break;
            case IpUnblocked:
                _entries.TryRemove(key, out _);
                break;
        }
    }

    /// <summary>Drops entries whose block has ended; returns how many.</summary>
    public int Prune(DateTimeOffset now)
    {
        var removed = 0;
        foreach (var (key, entry) in _entries)
            if (entry.Until <= now && _entries.TryRemove(new KeyValuePair<AddressKey, BlockEntry>(key, entry)))
                removed++;
        return removed;
    }

    public IReadOnlyDictionary<string, BlockEntry> Snapshot() =>
        _entries.Values.ToDictionary(e => e.IpKey, StringComparer.Ordinal);

    /// <summary>IPv4 address, or the upper 64 bits of an IPv6 address, as a value type.</summary>
    private readonly record struct AddressKey(bool V6, ulong Bits)
    {
        public static bool TryFrom(IPAddress ip, out AddressKey key)
        {
            key = default;
            Span<byte> bytes = stackalloc byte[16];
            if (!ip.TryWriteBytes(bytes, out var written))
                return false;
            if (ip.AddressFamily == AddressFamily.InterNetwork && written == 4)
                key = new AddressKey(false, BinaryPrimitives.ReadUInt32BigEndian(bytes));
            else if (ip.IsIPv4MappedToIPv6 && written == 16)
                // Dual-stack sockets report every IPv4 client this way; read it in place
                // rather than MapToIPv4(), which allocates.
                key = new AddressKey(false, BinaryPrimitives.ReadUInt32BigEndian(bytes[12..]));
            else if (ip.AddressFamily == AddressFamily.InterNetworkV6 && written == 16)
                key = new AddressKey(true, BinaryPrimitives.ReadUInt64BigEndian(bytes));
            else
                return false;
            return true;
        }
    }
}
