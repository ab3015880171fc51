using System.Diagnostics;
using System.Text;

namespace Bulwark.Tests.Shared;

/// <summary>
/// A DKIM signer and verifier no one here wrote: Debian's python3-dkim (dkimsign, dknewkey and
/// its library, run by /usr/bin/python3), and openssl for a key too weak to accept. Keys live in
/// a temporary folder removed on dispose. Missing tools fail the test, never skip it.
/// </summary>
public sealed class DkimTools : IDisposable
{
    public const string DkimSign = "/usr/bin/dkimsign";
    public const string DkNewKey = "/usr/bin/dknewkey";
    public const string Python = "/usr/bin/python3";

    private readonly string _dir = Directory.CreateTempSubdirectory("bulwark-dkim-").FullName;

    /// <summary>A key pair: the private key file and the TXT record to publish.</summary>
    public sealed record Key(string PrivateKeyFile, string Record);

    /// <summary>A new key from dknewkey: RSA 2048 or ed25519.</summary>
    public Key NewKey(string name, bool ed25519 = false)
    {
        Run(DkNewKey, ed25519 ? ["--ktype", "ed25519", name] : [name], null);
        return new Key(Path.Combine(_dir, name + ".key"), File.ReadAllText(Path.Combine(_dir, name + ".dns")).Trim());
    }

    /// <summary>An RSA key of <paramref name="bits"/> bits made by openssl (for keys too short to accept).</summary>
    public Key RsaKey(string name, int bits)
    {
        var file = Path.Combine(_dir, name + ".key");
        Run("/usr/bin/openssl", ["genrsa", "-out", file, bits.ToString()], null);
        var der = Run("/usr/bin/openssl", ["rsa", "-in", file, "-pubout", "-outform", "DER"], null, binary: true);
        return new Key(file, "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(der));
    }

    /// <summary>The message with dkimsign's DKIM-Signature field on top.</summary>
    public byte[] Sign(byte[] message, string selector, string domain, Key key, string headerCanon = "relaxed", string bodyCanon = "simple",
        string algorithm = "rsa-sha256") =>
        Run(DkimSign, ["--hcanon", headerCanon, "--bcanon", bodyCanon, "--signalg", algorithm, selector, domain, key.PrivateKeyFile], message, binary: true);

    /// <summary>Signed by python3-dkim's library with the l= tag (the signed body length), which
    /// dkimsign does not offer.</summary>
    public byte[] SignWithBodyLength(byte[] message, string selector, string domain, Key key)
    {
        var script = $$"""
            import sys, dkim
            message = sys.stdin.buffer.read()
            key = open({{PyString(key.PrivateKeyFile)}}, "rb").read()
            sys.stdout.buffer.write(dkim.sign(message, {{PyString(selector)}}.encode(), {{PyString(domain)}}.encode(), key, length=True) + message)
            """;
        return Run(Python, ["-c", script], message, binary: true);
    }

    /// <summary>The message sealed by python3-dkim's ARC signer as the forwarder
    /// <paramref name="domain"/>: one ARC set (seal, message signature and the copy of the
    /// message's Authentication-Results of <paramref name="authServId"/>) on top. The signer
    /// refuses a message without such a field: a forwarder seals what it verified.</summary>
    public byte[] ArcSeal(byte[] message, string selector, string domain, Key key, string authServId)
    {
        var script = $$"""
            import sys, dkim
            message = sys.stdin.buffer.read()
            key = open({{PyString(key.PrivateKeyFile)}}, "rb").read()
            fields = dkim.arc_sign(message, {{PyString(selector)}}.encode(), {{PyString(domain)}}.encode(), key, {{PyString(authServId)}}.encode())
            if not fields: sys.exit("arc_sign produced no ARC set")
            sys.stdout.buffer.write(b"".join(fields) + message)
            """;
        return Run(Python, ["-c", script], message, binary: true);
    }

    /// <summary>python3-dkim's verdict on the ARC chain ("pass", "fail" or "none"), keys given instead of DNS.</summary>
    public string PythonArcVerify(byte[] message, IReadOnlyDictionary<string, string> keyRecords)
    {
        var script = KeyTablePrelude(keyRecords) + """
            try:
                cv, results, reason = dkim.arc_verify(message, dnsfunc=dnsfunc)
                print(cv.decode())
            except Exception:
                print("fail")
            """;
        return Encoding.UTF8.GetString(Run(Python, ["-c", script], message, binary: true)).Trim();
    }

    /// <summary>python3-dkim's own verdict on every signature (dkim.verify for the first,
    /// DKIM(...).verify(idx) for each), with the keys given instead of DNS.</summary>
    public IReadOnlyList<bool> PythonVerify(byte[] message, IReadOnlyDictionary<string, string> keyRecords)
    {
        var script = KeyTablePrelude(keyRecords) + """
            d = dkim.DKIM(message)
            count = sum(1 for name, _ in d.headers if name.lower() == b"dkim-signature")
            for i in range(count):
                try:
                    print("pass" if d.verify(idx=i, dnsfunc=dnsfunc) else "fail")
                except Exception:
                    print("fail")
            """;
        var output = Encoding.UTF8.GetString(Run(Python, ["-c", script], message, binary: true));
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim() == "pass").ToList();
    }

    /// <summary>The start of a python3-dkim script that reads the message from stdin and answers
    /// key lookups from <paramref name="keyRecords"/> (dnsfunc) instead of DNS.</summary>
    private static string KeyTablePrelude(IReadOnlyDictionary<string, string> keyRecords)
    {
        var keys = string.Join(",", keyRecords.Select(kv => $"{PyString(kv.Key + ".")}: {PyString(kv.Value)}"));
        return $$"""
            import sys, dkim
            records = { {{keys}} }
            def dnsfunc(name, timeout=5):
                name = name.decode() if isinstance(name, bytes) else name
                return records.get(name, "").encode()
            message = sys.stdin.buffer.read()

            """;
    }

    private static string PyString(string s) => "'" + s.Replace("\\", "\\\\").Replace("'", "\\'") + "'";

    private byte[] Run(string program, string[] args, byte[]? input, bool binary = false)
    {
        if (!File.Exists(program)) throw new InvalidOperationException($"{program} is missing: install python3-dkim and openssl (scripts/install-deps.sh)");
        var start = new ProcessStartInfo(program) { WorkingDirectory = _dir, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null) process.StandardInput.BaseStream.Write(input);
        process.StandardInput.Close();
        if (!process.WaitForExit(30_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish");
        }
        copy.Wait();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {stderr.Result}");
        return stdout.ToArray();
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
