using System.Text;
using Bulwark.Contracts.DnsPolicy;
using Bulwark.Listener.Authentication;
using Bulwark.Policy.Arc;
using Bulwark.Policy.Dns;
using Bulwark.Tests.Shared;
using MimeKit;

namespace Bulwark.Actors.Tests.Authentication;

/// <summary>
/// ARC chains sealed by python3-dkim's ARC signer, validated by Bulwark with keys served from a
/// table; where both can judge, python3-dkim's own ARC verifier must agree on the chain.
/// </summary>
public sealed class ArcVerificationTests : IClassFixture<ArcVerificationTests.Keys>
{
    public sealed class Keys : IDisposable
    {
        public DkimTools Tools { get; } = new();
        public DkimTools.Key List { get; }
        public DkimTools.Key Relay { get; }

        public Keys()
        {
            List = Tools.NewKey("list");
            Relay = Tools.NewKey("relay");
        }

        public void Dispose() => Tools.Dispose();
    }

    private static readonly byte[] Original = Encoding.ASCII.GetBytes(
        "Authentication-Results: lists.example.org; dkim=pass header.d=sender.test; dmarc=pass header.from=sender.test\r\n" +
        "From: Alice <alice@sender.test>\r\nTo: list@lists.example.org\r\nSubject: [list] hello\r\n" +
        "Date: Fri, 04 Dec 2026 04:00:00 +0000\r\nMessage-ID: <1@sender.test>\r\n\r\nHello there.\r\n-- \r\nlist footer\r\n");

    private readonly Keys _keys;
    private readonly Dictionary<string, DkimKeyAnswer> _dns = new(StringComparer.OrdinalIgnoreCase);

    public ArcVerificationTests(Keys keys)
    {
        _keys = keys;
        _dns["arc._domainkey.lists.example.org"] = new DkimKeyAnswer(DnsStatus.Ok, keys.List.Record);
        _dns["arc._domainkey.relay.example.net"] = new DkimKeyAnswer(DnsStatus.Ok, keys.Relay.Record);
    }

    private byte[] SealedByList() => _keys.Tools.ArcSeal(Original, "arc", "lists.example.org", _keys.List, "lists.example.org");

    private byte[] SealedByListThenRelay()
    {
        var relayed = Encoding.ASCII.GetBytes("Authentication-Results: relay.example.net; arc=pass; dmarc=fail header.from=sender.test\r\n")
            .Concat(SealedByList()).ToArray();
        return _keys.Tools.ArcSeal(relayed, "arc", "relay.example.net", _keys.Relay, "relay.example.net");
    }

    private Task<ArcFindings> Verify(byte[] message) =>
        new ArcVerification((domain, selector) => Task.FromResult(
                _dns.TryGetValue($"{selector}._domainkey.{domain}", out var answer) ? answer : new DkimKeyAnswer(DnsStatus.NxDomain, null)))
            .VerifyAsync(MimeMessage.Load(new MemoryStream(message)));

    private string Theirs(byte[] message) => _keys.Tools.PythonArcVerify(message,
        _dns.Where(kv => kv.Value.Status == DnsStatus.Ok).ToDictionary(kv => kv.Key, kv => kv.Value.Record!));

    private static byte[] Replace(byte[] message, string from, string to) =>
        Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(message).Replace(from, to));

    [Fact]
    public async Task A_message_without_arc_sets_has_no_chain() =>
        Assert.Equal(ArcChainOutcome.None, (await Verify(Original)).Chain);

    [Fact]
    public async Task One_intact_set_passes_and_names_its_sealer_and_recorded_dmarc()
    {
        var sealedMessage = SealedByList();
        var arc = await Verify(sealedMessage);

        Assert.Equal(ArcChainOutcome.Pass, arc.Chain);
        Assert.Equal("pass", Theirs(sealedMessage));
        var set = Assert.Single(arc.Sets);
        Assert.Equal((1, "lists.example.org", "pass"), (set.Instance, set.SealerDomain, set.DmarcResult));
    }

    [Fact]
    public async Task Two_hops_pass_with_both_sets_oldest_first()
    {
        var message = SealedByListThenRelay();
        var arc = await Verify(message);

        Assert.Equal(ArcChainOutcome.Pass, arc.Chain);
        Assert.Equal("pass", Theirs(message));
        Assert.Equal([(1, "lists.example.org", "pass"), (2, "relay.example.net", "fail")],
            arc.Sets.Select(s => (s.Instance, s.SealerDomain, s.DmarcResult)).ToList());
    }

    [Fact]
    public async Task A_signed_message_changed_by_the_list_before_it_sealed_passes()
    {
        _dns["sel._domainkey.sender.test"] = new DkimKeyAnswer(DnsStatus.Ok, _keys.Relay.Record);
        var signedByAuthor = _keys.Tools.Sign(Original, "sel", "sender.test", _keys.Relay);
        var footered = Replace(signedByAuthor, "list footer\r\n", "list footer\r\nunsubscribe: mailto:leave@lists.example.org\r\n");
        var message = _keys.Tools.ArcSeal(footered, "arc", "lists.example.org", _keys.List, "lists.example.org");
        var arc = await Verify(message);

        Assert.Equal("pass", Theirs(message));
        Assert.True(arc.Chain == ArcChainOutcome.Pass, arc.Reason);
    }

    [Fact]
    public async Task A_body_changed_after_the_newest_seal_fails()
    {
        var message = Replace(SealedByList(), "Hello there.", "Hello, click here.");
        var arc = await Verify(message);

        Assert.Equal(ArcChainOutcome.Fail, arc.Chain);
        Assert.Equal("fail", Theirs(message));
        Assert.NotNull(arc.Reason);
    }

    [Fact]
    public async Task A_sealer_without_a_published_key_fails()
    {
        _dns.Remove("arc._domainkey.lists.example.org");
        Assert.Equal(ArcChainOutcome.Fail, (await Verify(SealedByList())).Chain);
    }

    [Fact]
    public async Task A_key_lookup_that_times_out_is_a_temporary_error()
    {
        _dns["arc._domainkey.lists.example.org"] = new DkimKeyAnswer(DnsStatus.Timeout, null);
        Assert.Equal(ArcChainOutcome.TempError, (await Verify(SealedByList())).Chain);
    }

    [Fact]
    public async Task A_removed_middle_set_breaks_the_chain()
    {
        var text = Encoding.ASCII.GetString(SealedByListThenRelay());
        // Drop the i=1 ARC-Seal: the chain has a gap.
        var start = text.IndexOf("ARC-Seal: i=1", StringComparison.Ordinal);
        var end = text.IndexOf("\r\nARC-", start + 1, StringComparison.Ordinal) + 2;
        var message = Encoding.ASCII.GetBytes(text.Remove(start, end - start));

        Assert.Equal(ArcChainOutcome.Fail, (await Verify(message)).Chain);
    }
}
