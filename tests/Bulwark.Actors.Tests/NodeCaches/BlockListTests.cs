using System.Net;
using Bulwark.Contracts.IpReputation;
using Bulwark.NodeCaches;

namespace Bulwark.Actors.Tests.NodeCaches;

public sealed class BlockListTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_blocked_ipv4_address_is_blocked_also_when_seen_as_ipv4_mapped_ipv6()
    {
        var list = new BlockList();
        list.Apply(new IpBlocked("203.0.113.9", Now.AddMinutes(15), "strikes", 1));

        Assert.True(list.IsBlocked(IPAddress.Parse("203.0.113.9"), Now, out var reason));
        Assert.Equal("strikes", reason);
        Assert.True(list.IsBlocked(IPAddress.Parse("::ffff:203.0.113.9"), Now, out _));
        Assert.False(list.IsBlocked(IPAddress.Parse("203.0.113.10"), Now, out var none));
        Assert.Null(none);
    }

    [Fact]
    public void A_blocked_slash_64_covers_every_address_inside_it()
    {
        var list = new BlockList();
        list.Apply(new IpBlocked("2001:db8:1:2::/64", Now.AddMinutes(15), "strikes", 1));

        Assert.True(list.IsBlocked(IPAddress.Parse("2001:db8:1:2::1"), Now, out _));
        Assert.True(list.IsBlocked(IPAddress.Parse("2001:db8:1:2:dead:beef:0:1"), Now, out _));
        Assert.False(list.IsBlocked(IPAddress.Parse("2001:db8:1:3::1"), Now, out _));
        Assert.True(list.IsBlocked("2001:db8:1:2::/64", Now, out _));
    }

    [Fact]
    public void A_block_ends_at_its_time_and_pruning_drops_it()
    {
        var list = new BlockList();
        list.Apply(new IpBlocked("203.0.113.9", Now.AddMinutes(15), "strikes", 1));
        list.Apply(new IpBlocked("203.0.113.10", Now.AddHours(2), "strikes", 1));

        var later = Now.AddMinutes(16);
        var removed = list.Prune(later);

        Assert.False(list.IsBlocked(IPAddress.Parse("203.0.113.9"), later, out _));
        Assert.Equal(1, removed);
        Assert.Equal(["203.0.113.10"], list.Snapshot().Keys);
    }

    [Fact]
    public void An_unblock_removes_the_entry_and_a_newer_block_replaces_an_older_one()
    {
        var list = new BlockList();
        list.Apply(new IpBlocked("203.0.113.9", Now.AddMinutes(15), "first", 1));
        list.Apply(new IpBlocked("203.0.113.9", Now.AddMinutes(30), "second", 2));
        list.Apply(new IpBlocked("203.0.113.11", Now.AddMinutes(30), "other", 1));
        list.Apply(new IpUnblocked("203.0.113.11", "operator"));

        var snapshot = list.Snapshot();

        Assert.Single(snapshot);
        Assert.Equal("second", snapshot["203.0.113.9"].Reason);
        Assert.Equal(Now.AddMinutes(30), snapshot["203.0.113.9"].Until);
    }

    [Fact]
    public void The_lookup_of_an_address_allocates_nothing()
    {
        var list = new BlockList();
        list.Apply(new IpBlocked("203.0.113.9", Now.AddMinutes(15), "strikes", 1));
        var hit = IPAddress.Parse("::ffff:203.0.113.9");
        var miss = IPAddress.Parse("2001:db8::1");
        list.IsBlocked(hit, Now, out _);
        list.IsBlocked(miss, Now, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            list.IsBlocked(hit, Now, out _);
            list.IsBlocked(miss, Now, out _);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }
}
