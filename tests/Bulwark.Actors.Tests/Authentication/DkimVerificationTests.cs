using System.Text;
using Bulwark.Contracts.DnsPolicy;
using Bulwark.Listener.Authentication;
using Bulwark.Policy.Dkim;
using Bulwark.Policy.Dns;
using Bulwark.Tests.Shared;

namespace Bulwark.Actors.Tests.Authentication;

/// <summary>
/// Bulwark's DKIM verifier over messages signed by python3-dkim, with keys served from a table
/// instead of DNS. Every case is cross-checked against python3-dkim's own
/// verifier on the same bytes and keys: the two must agree on pass or not.
/// </summary>
public sealed class DkimVerificationTests : IClassFixture<DkimVerificationTests.Keys>
{
    public sealed class Keys : IDisposable
    {
        public DkimTools Tools { get; } = new();
        public DkimTools.Key Rsa { get; }
        public DkimTools.Key Other { get; }
        public DkimTools.Key Ed { get; }
        public DkimTools.Key Weak { get; }

        public Keys()
        {
            Rsa = Tools.NewKey("rsa");
            Other = Tools.NewKey("other");
            Ed = Tools.NewKey("ed", ed25519: true);
            Weak = Tools.RsaKey("weak", 512);
        }

        public void Dispose() => Tools.Dispose();
    }

    private static readonly byte[] Message = Encoding.ASCII.GetBytes(
        "From: Alice <alice@signer.test>\r\nTo: bob@example.test\r\nSubject: hello\r\nDate: Fri, 04 Dec 2026 04:00:00 +0000\r\n" +
        "Message-ID: <1@signer.test>\r\n\r\nHello there.\r\nA second line.\r\n");

    private readonly Keys _keys;
    private readonly Dictionary<string, DkimKeyAnswer> _dns = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _asked = [];

    public DkimVerificationTests(Keys keys) => _keys = keys;

    private void Publish(string name, string record) => _dns[name] = new DkimKeyAnswer(DnsStatus.Ok, record);

    private async Task<DkimFindings> Verify(byte[] message, int max = 5)
    {
        var verification = new DkimVerification((domain, selector) =>
        {
            var name = $"{selector}._domainkey.{domain}";
            _asked.Add(name);
            if (name.Contains("throws")) throw new Akka.Actor.AskTimeoutException("no answer");
            return Task.FromResult(_dns.TryGetValue(name, out var answer) ? answer : new DkimKeyAnswer(DnsStatus.NxDomain, null));
        });
        return await verification.VerifyAsync(new MemoryStream(message), max);
    }

    /// <summary>Our verdict, checked to agree with python3-dkim's on the same message and keys.</summary>
    private async Task<IReadOnlyList<DkimSignatureResult>> VerifyAgreeing(byte[] message)
    {
        var ours = (await Verify(message)).Signatures;
        var records = _dns.Where(kv => kv.Value.Status == DnsStatus.Ok).ToDictionary(kv => kv.Key, kv => kv.Value.Record!);
        var theirs = _keys.Tools.PythonVerify(message, records);
        Assert.Equal(theirs, ours.Select(r => r.Result == DkimOutcome.Pass).ToList());
        return ours;
    }

    private static byte[] Replace(byte[] message, string from, string to) =>
        Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(message).Replace(from, to));

    [Theory]
    [InlineData("relaxed", "simple")]
    [InlineData("simple", "simple")]
    [InlineData("relaxed", "relaxed")]
    [InlineData("simple", "relaxed")]
    public async Task A_valid_rsa_sha256_signature_passes_in_every_canonicalization(string header, string body)
    {
        Publish("sel._domainkey.signer.test", _keys.Rsa.Record);
        var result = Assert.Single(await VerifyAgreeing(_keys.Tools.Sign(Message, "sel", "signer.test", _keys.Rsa, header, body)));

        Assert.Equal(new DkimSignatureResult("signer.test", "sel", "rsa-sha256", DkimOutcome.Pass), result);
    }

    [Fact]
    public async Task A_body_changed_after_signing_fails()
    {
        Publish("sel._domainkey.signer.test", _keys.Rsa.Record);
        var signed = Replace(_keys.Tools.Sign(Message, "sel", "signer.test", _keys.Rsa), "Hello there.", "Hello thEre.");
        Assert.Equal(DkimOutcome.Fail, Assert.Single(await VerifyAgreeing(signed)).Result);
    }

    [Fact]
    public async Task A_signed_header_changed_after_signing_fails()
    {
        Publish("sel._domainkey.signer.test", _keys.Rsa.Record);
        var signed = Replace(_keys.Tools.Sign(Message, "sel", "signer.test", _keys.Rsa), "Subject: hello", "Subject: pay now");
        Assert.Equal(DkimOutcome.Fail, Assert.Single(await VerifyAgreeing(signed)).Result);
    }

    [Fact]
    public async Task A_signature_that_does_not_match_the_published_key_fails()
    {
        Publish("sel._domainkey.signer.test", _keys.Other.Record);
        Assert.Equal(DkimOutcome.Fail, Assert.Single(await VerifyAgreeing(_keys.Tools.Sign(Message, "sel", "signer.test", _keys.Rsa))).Result);
    }

    [Fact]
    public async Task A_revoked_key_is_a_permerror()
    {
        Publish("sel._domainkey.signer.test", "v=DKIM1; k=rsa; p=");
        var result = Assert.Single(await VerifyAgreeing(_keys.Tools.Sign(Message, "sel", "signer.test", _keys.Rsa)));
        Assert.Equal(DkimOutcome.PermError, result.Result);
        Assert.Contains("revoked", result.Reason);
    }

    [Fact]
    public async Task A_key_that_is_not_published_is_a_permerror()
    {
        var result = Assert.Single(await VerifyAgreeing(_keys.Tools.Sign(Message, "missing", "signer.test", _keys.Rsa)));
        Assert.Equal(DkimOutcome.PermError, result.Result);
        Assert.Contains("no key published", result.Reason);
    }

    [Fact]
    public async Task A_dns_failure_or_an_ask_that_times_out_is_a_temperror()
    {
        _dns["slow._domainkey.signer.test"] = new DkimKeyAnswer(DnsStatus.Timeout, null);
        Assert.Equal(DkimOutcome.TempError, Assert.Single((await Verify(_keys.Tools.Sign(Message, "slow", "signer.test", _keys.Rsa))).Signatures).Result);
        _dns["failing._domainkey.signer.test"] = new DkimKeyAnswer(DnsStatus.ServerFailure, null);
        Assert.Equal(DkimOutcome.TempError, Assert.Single((await Verify(_keys.Tools.Sign(Message, "failing", "signer.test", _keys.Rsa))).Signatures).Result);
        Assert.Equal(DkimOutcome.TempError, Assert.Single((await Verify(_keys.Tools.Sign(Message, "throws", "signer.test", _keys.Rsa))).Signatures).Result);
    }

    [Fact]
    public async Task Of_two_signatures_the_good_one_passes_and_each_is_reported()
    {
        Publish("good._domainkey.signer.test", _keys.Rsa.Record);
        Publish("bad._domainkey.relay.test", _keys.Other.Record);
        var once = _keys.Tools.Sign(Message, "good", "signer.test", _keys.Rsa);
        var twice = _keys.Tools.Sign(once, "bad", "relay.test", _keys.Rsa);

        var results = await VerifyAgreeing(twice);

        Assert.Equal([("relay.test", DkimOutcome.Fail), ("signer.test", DkimOutcome.Pass)], results.Select(r => (r.Domain, r.Result)));
    }

    [Fact]
    public async Task Ed25519_sha256_is_supported()
    {
        Publish("ed._domainkey.signer.test", _keys.Ed.Record);
        var result = Assert.Single(await VerifyAgreeing(_keys.Tools.Sign(Message, "ed", "signer.test", _keys.Ed, algorithm: "ed25519-sha256")));
        Assert.Equal(("ed25519-sha256", DkimOutcome.Pass), (result.Algorithm, result.Result));
    }

    [Fact]
    public async Task Rsa_sha1_is_not_accepted()
    {
        Publish("sel._domainkey.signer.test", _keys.Rsa.Record);
        var result = Assert.Single((await Verify(_keys.Tools.Sign(Message, "sel", "signer.test", _keys.Rsa, algorithm: "rsa-sha1"))).Signatures);
        Assert.Equal(DkimOutcome.PermError, result.Result);
    }

    [Fact]
    public async Task An_rsa_key_under_1024_bits_never_passes()
    {
        Publish("weak._domainkey.signer.test", _keys.Weak.Record);
        var result = Assert.Single((await Verify(_keys.Tools.Sign(Message, "weak", "signer.test", _keys.Weak))).Signatures);
        Assert.NotEqual(DkimOutcome.Pass, result.Result);
    }

    [Fact]
    public async Task A_body_length_limit_is_noted_and_text_added_after_it_still_passes_as_the_rfc_says()
    {
        Publish("sel._domainkey.signer.test", _keys.Rsa.Record);
        var signed = _keys.Tools.SignWithBodyLength(Message, "sel", "signer.test", _keys.Rsa);
        var appended = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(signed) + "Appended by someone else.\r\n");

        var result = Assert.Single(await VerifyAgreeing(appended));

        Assert.Equal(DkimOutcome.Pass, result.Result);
        Assert.NotNull(result.BodyLength);
        Assert.Contains("only the first", result.Reason);
    }

    [Fact]
    public async Task Signatures_past_the_cap_are_not_checked_and_counted()
    {
        Publish("sel._domainkey.signer.test", _keys.Rsa.Record);
        var message = Message;
        for (var i = 0; i < 7; i++) message = _keys.Tools.Sign(message, "sel", "signer.test", _keys.Rsa);

        var findings = await Verify(message, max: 5);

        Assert.Equal(5, findings.Signatures.Count);
        Assert.Equal(2, findings.NotChecked);
        // One key lookup serves every signature with the same domain and selector.
        Assert.Single(_asked);
    }

    [Fact]
    public async Task A_body_cut_shorter_than_its_l_fails()
    {
        Publish("sel._domainkey.signer.test", _keys.Rsa.Record);
        var cut = Replace(_keys.Tools.SignWithBodyLength(Message, "sel", "signer.test", _keys.Rsa), "A second line.\r\n", "");

        var result = Assert.Single(await VerifyAgreeing(cut));

        Assert.Equal(DkimOutcome.Fail, result.Result);
        Assert.Contains("shorter than l=", result.Reason);
    }

    [Fact]
    public async Task An_expired_signature_is_a_permerror_before_its_key_is_used()
    {
        Publish("sel._domainkey.signer.test", _keys.Rsa.Record);
        var field = "DKIM-Signature: v=1; a=rsa-sha256; d=signer.test; s=sel; h=from; bh=AAAA; b=AAAA; t=1; x=2\r\n";

        var result = Assert.Single((await Verify(Encoding.ASCII.GetBytes(field + Encoding.ASCII.GetString(Message)))).Signatures);

        Assert.Equal((DkimOutcome.PermError, "signature expired (x=)"), (result.Result, result.Reason));
    }

    [Fact]
    public async Task A_header_section_over_the_limit_is_not_read_past_it_and_its_signatures_are_permerrors()
    {
        Publish("sel._domainkey.signer.test", _keys.Rsa.Record);
        var signed = Encoding.ASCII.GetString(_keys.Tools.Sign(Message, "sel", "signer.test", _keys.Rsa));
        var filler = string.Concat(Enumerable.Repeat("X-Filler: " + new string('x', 1000) + "\r\n", DkimVerification.MaxHeaderBytes / 1000 + 10));

        var result = Assert.Single((await Verify(Encoding.ASCII.GetBytes(signed.Replace("To: ", filler + "To: ")))).Signatures);

        Assert.Equal(DkimOutcome.PermError, result.Result);
        Assert.Contains("header section over", result.Reason);
    }

    [Fact]
    public async Task An_unsigned_message_has_no_signatures() => Assert.Same(DkimFindings.None, await Verify(Message));
}
