using System.Text;
using Bulwark.Contracts.DnsPolicy;
using Bulwark.Listener.Authentication;
using Bulwark.Policy.Dkim;
using Bulwark.Policy.Dns;
using Bulwark.Tests.Shared;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace Bulwark.Actors.Tests.Authentication;

/// <summary>
/// Bulwark's DKIM verifier held to two it did not write, on the same bytes and keys: MimeKit's
/// DkimVerifier and python3-dkim's. Messages chosen for the places canonicalization goes wrong
/// (folded and odd white space, names in mixed case, empty lines at the end, an empty body,
/// repeated fields, MIME parts whose Content- fields MimeKit files apart) are signed by
/// dkimsign in simple and relaxed form, then changed in ways each form must tolerate or must
/// not. All three must give the same pass or not on every one.
/// </summary>
public sealed class DkimVerifierAgreementTests : IClassFixture<DkimVerificationTests.Keys>
{
    private const string Selector = "sel._domainkey.signer.test";

    private static readonly Dictionary<string, string> Messages = new()
    {
        ["plain"] = "From: Alice <alice@signer.test>\r\nTo: bob@example.test\r\nSubject: hello\r\nDate: Fri, 04 Dec 2026 04:00:00 +0000\r\n" +
                    "Message-ID: <1@signer.test>\r\n\r\nHello there.\r\nA second line.\r\n",
        ["odd-space"] = "From: Alice <alice@signer.test>\r\nTo:   bob@example.test ,\r\n\t carol@example.test\r\nSUBJect:  Hello \t  world  \r\n" +
                        "Date: Fri, 04 Dec 2026 04:00:00 +0000\r\n\r\n  Indented line  \r\nTabs\tand  spaces \t\r\n   \r\nlast\r\n\r\n\r\n\r\n",
        ["empty-body"] = "From: alice@signer.test\r\nTo: bob@example.test\r\nSubject: nothing\r\n\r\n",
        ["repeated"] = "Received: from a by b; Fri, 04 Dec 2026 04:00:00 +0000\r\nReceived: from c by d; Fri, 04 Dec 2026 04:00:01 +0000\r\n" +
                       "From: alice@signer.test\r\nTo: bob@example.test\r\nSubject: first\r\nComments: one\r\nComments: two\r\n\r\nBody\r\n",
        ["mime"] = "From: alice@signer.test\r\nTo: bob@example.test\r\nSubject: parts\r\nMIME-Version: 1.0\r\n" +
                   "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\npreamble\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n" +
                   "Content-Transfer-Encoding: 8bit\r\n\r\nCaf\u00e9 ol\u00e9  \r\n--b1\r\nContent-Type: application/octet-stream\r\n" +
                   "Content-Transfer-Encoding: base64\r\n\r\nAAECAwQF\r\n--b1--\r\n",
    };

    /// <summary>Changes made after signing, and what the signed form must make of them.</summary>
    private static readonly (string Name, Func<string, string> Change)[] Changes =
    [
        ("unchanged", m => m),
        ("a field added above", m => "X-Added: by a relay\r\n" + m),
        ("a From added below the others", m => m.Insert(m.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 2, "From: mallory@evil.test\r\n")),
        ("empty lines added at the end", m => m + "\r\n\r\n"),
        ("white space widened in the body", m => ReplaceInBody(m, " ", "   ")),
        ("white space added at a line end", m => ReplaceInBody(m, "\r\n", " \t\r\n", once: true)),
        ("a signed field refolded", m => m.Replace("To: bob@example.test", "To:\r\n   bob@example.test")),
        ("a signed field's name upper-cased", m => m.Replace("\r\nTo:", "\r\nTO:")),
        ("a body byte changed", m => ReplaceInBody(m, "e", "E", once: true)),
    ];

    private readonly DkimVerificationTests.Keys _keys;

    public DkimVerifierAgreementTests(DkimVerificationTests.Keys keys) => _keys = keys;

    public static IEnumerable<object[]> Cases() =>
        from message in Messages.Keys
        from form in new[] { ("relaxed", "relaxed"), ("simple", "simple"), ("relaxed", "simple") }
        select new object[] { message, form.Item1, form.Item2 };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bulwark_mimekit_and_python3_dkim_agree_on_every_change(string message, string headerCanon, string bodyCanon)
    {
        var signed = Encoding.Latin1.GetString(_keys.Tools.Sign(Encoding.UTF8.GetBytes(Messages[message]), "sel", "signer.test", _keys.Rsa,
            headerCanon, bodyCanon));
        var verdicts = new List<string>();
        foreach (var (name, change) in Changes)
        {
            var bytes = Encoding.Latin1.GetBytes(change(signed));
            var ours = await Ours(bytes);
            var mimeKit = await MimeKitVerdict(bytes);
            var python = Assert.Single(_keys.Tools.PythonVerify(bytes, Records));
            verdicts.Add($"{name}: bulwark={ours} mimekit={mimeKit} python3-dkim={python}");
            Assert.True(ours == mimeKit && ours == python, string.Join("\n", verdicts));
        }
        // The cases are not all one way: something passes and something fails in every form.
        Assert.Contains(verdicts, v => v.Contains("bulwark=True"));
        Assert.Contains(verdicts, v => v.Contains("bulwark=False"));
    }

    [Fact]
    public async Task An_ed25519_signature_agrees_too()
    {
        var records = new Dictionary<string, string> { ["ed._domainkey.signer.test"] = _keys.Ed.Record };
        var signed = _keys.Tools.Sign(Encoding.ASCII.GetBytes(Messages["odd-space"]), "ed", "signer.test", _keys.Ed, "relaxed", "relaxed",
            "ed25519-sha256");
        foreach (var bytes in new[] { signed, Encoding.ASCII.GetBytes(ReplaceInBody(Encoding.ASCII.GetString(signed), "l", "L", once: true)) })
        {
            var ours = await Ours(bytes, records);
            Assert.Equal(Assert.Single(_keys.Tools.PythonVerify(bytes, records)), ours);
            Assert.Equal(await MimeKitVerdict(bytes, records), ours);
        }
    }

    private Dictionary<string, string> Records => new() { [Selector] = _keys.Rsa.Record };

    private async Task<bool> Ours(byte[] message, Dictionary<string, string>? records = null)
    {
        records ??= Records;
        var verification = new DkimVerification((domain, selector) => Task.FromResult(
            records.TryGetValue($"{selector}._domainkey.{domain}", out var r) ? new DkimKeyAnswer(DnsStatus.Ok, r) : new DkimKeyAnswer(DnsStatus.NxDomain, null)));
        return Assert.Single((await verification.VerifyAsync(new MemoryStream(message), 5)).Signatures).Result == DkimOutcome.Pass;
    }

    private async Task<bool> MimeKitVerdict(byte[] message, Dictionary<string, string>? records = null)
    {
        var parsed = await MimeMessage.LoadAsync(new MemoryStream(message));
        var verifier = new DkimVerifier(new TableLocator(records ?? Records)) { MinimumRsaKeyLength = 1024 };
        verifier.Enable(DkimSignatureAlgorithm.Ed25519Sha256);
        var field = parsed.Headers.First(h => h.Id == HeaderId.DkimSignature);
        try
        {
            return await verifier.VerifyAsync(parsed, field);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private sealed class TableLocator(Dictionary<string, string> records) : DkimPublicKeyLocatorBase
    {
        public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            GetPublicKey(records[$"{selector}._domainkey.{domain}"]);

        public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector,
            CancellationToken cancellationToken = default) => Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
    }

    private static string ReplaceInBody(string message, string from, string to, bool once = false)
    {
        var split = message.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        var body = message[split..];
        var at = body.IndexOf(from, StringComparison.Ordinal);
        if (at < 0) return message;
        body = once ? body[..at] + to + body[(at + from.Length)..] : body.Replace(from, to);
        return message[..split] + body;
    }
}
