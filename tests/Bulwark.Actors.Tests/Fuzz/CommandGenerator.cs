using System.Text;

namespace Bulwark.Actors.Tests.Fuzz;

/// <summary>
/// Command lines from a loose SMTP grammar: real verbs in any case, unknown words, paths of
/// every shape the path parser must survive, ESMTP parameters, and the byte-level noise
/// (control bytes, NUL, bare CR/LF, invalid UTF-8, overlong lines) a hostile client sends.
/// Lines are returned WITHOUT their line end; the session adds it.
/// </summary>
public sealed class CommandGenerator(Random random)
{
    private static readonly string[] Verbs =
        ["HELO", "EHLO", "MAIL", "RCPT", "DATA", "RSET", "NOOP", "QUIT", "VRFY", "EXPN", "HELP", "AUTH", "STARTTLS", "BDAT"];
    private static readonly string[] UnknownWords = ["XCLIENT", "ETRN", "TURN", "SEND", "SAML", "SOML", "X", "", "MAILFROM:", "RCPTTO", "ÉHLO", "HELOO"];
    private static readonly string[] Locals = ["alice", "bob", "postmaster", "Postmaster", "nobody", "a.b", "x+tag", "\"quoted local\"", "\"a@b\"", "\"\\\"\"", "user%other.test", "a!b", "ünïcode", ".dot", "dot.", "a..b"];
    private static readonly string[] Domains = ["example.test", "EXAMPLE.TEST", "remote.test", "other.test", "[127.0.0.1]", "[IPv4:1.2.3.4]", "[IPv6:::1]", "[IPv6:2001:db8::1]", "[IPv6:zz]", "[300.1.1.1]", "[]", "bücher.test", "-bad-.test", "a", "localhost", "example.test."];
    private static readonly string[] Params = ["SIZE=1000", "SIZE=0", "SIZE=-1", "SIZE=99999999999999999999999", "SIZE=", "SIZE=abc", "BODY=8BITMIME", "BODY=7BIT", "BODY=BINARYMIME", "BODY=", "SMTPUTF8", "junk=", "junk=1", "=x", "AUTH=<>", "RET=HDRS", "NOTIFY=NEVER", "SIZE=1 SIZE=2"];

    private readonly Random _r = random;

    public static int Weighted(Random r, params int[] weights)
    {
        var pick = r.Next(weights.Sum());
        for (var i = 0; i < weights.Length; i++)
            if ((pick -= weights[i]) < 0) return i;
        return weights.Length - 1;
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_r.Next(items.Count)];

    public string Verb()
    {
        if (_r.Next(12) == 0) return Pick(UnknownWords);
        var verb = Pick(Verbs);
        return Weighted(_r, 8, 1, 1) switch { 0 => verb, 1 => verb.ToLowerInvariant(), _ => MixCase(verb) };
    }

    private string MixCase(string s) =>
        string.Concat(s.Select(c => _r.Next(2) == 0 ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)));

    public string Mailbox(bool ours) => Weighted(_r, 6, 2, 2) switch
    {
        0 => $"{(ours ? Pick(["alice", "bob", "postmaster", "carol"]) : Pick(Locals))}@{(ours ? "example.test" : Pick(Domains))}",
        1 => $"{Pick(Locals)}@{Pick(Domains)}",
        _ => Pick(Locals),
    };

    /// <summary>A path as it appears after "FROM:" / "TO:".</summary>
    public string Path(bool ours) => Weighted(_r, 10, 2, 2, 2, 1, 1, 1, 1) switch
    {
        0 => $"<{Mailbox(ours)}>",
        1 => "<>",
        2 => Mailbox(ours),
        3 => $"<@a.test,@b.test:{Mailbox(ours)}>",
        4 => $"<{Mailbox(ours)}",
        5 => $"<{new string('a', _r.Next(60, 400))}@{new string('d', _r.Next(1, 300))}.test>",
        6 => $"<<{Mailbox(ours)}>>",
        _ => $"< {Mailbox(ours)} >",
    };

    public string Parameters()
    {
        var count = Weighted(_r, 10, 4, 2, 1);
        var parts = new List<string>();
        for (var i = 0; i < count; i++) parts.Add(Pick(Params));
        return parts.Count == 0 ? "" : " " + string.Join(_r.Next(5) == 0 ? "  " : " ", parts);
    }

    /// <summary>A well-formed line of the given verb (the bias toward a valid dialogue uses these).</summary>
    public string Valid(string verb) => verb switch
    {
        "EHLO" or "HELO" => $"{verb} {Pick(["client.test", "[127.0.0.1]", "mx.remote.test", "localhost"])}",
        "MAIL" => $"MAIL FROM:{(_r.Next(8) == 0 ? "<>" : $"<sender{_r.Next(100)}@remote.test>")}{(_r.Next(3) == 0 ? " BODY=8BITMIME" : "")}{(_r.Next(4) == 0 ? $" SIZE={_r.Next(100000)}" : "")}",
        "RCPT" => $"RCPT TO:<{Pick(["alice", "bob", "postmaster", "carol"])}@example.test>",
        _ => verb,
    };

    /// <summary>One random command line as bytes (no line end).</summary>
    public byte[] Line()
    {
        var verb = Verb();
        var upper = verb.ToUpperInvariant();
        var text = upper switch
        {
            "MAIL" => $"{verb} {Pick(["FROM:", "from:", "FROM: ", "FROM", "TO:", ""])}{Path(false)}{Parameters()}",
            "RCPT" => $"{verb} {Pick(["TO:", "to:", "TO: ", "TO", "FROM:", ""])}{Path(true)}{Parameters()}",
            "HELO" or "EHLO" => $"{verb}{Pick([" client.test", " [127.0.0.1]", "", " ", " two words", "\tclient.test", " a\u00e9b", " " + new string('h', _r.Next(1, 300))])}",
            "VRFY" or "EXPN" => $"{verb} {Mailbox(true)}",
            "AUTH" => $"{verb} {Pick(["PLAIN", "LOGIN", "PLAIN AGFsaWNlAHNlY3JldA==", "CRAM-MD5", ""])}",
            "BDAT" => $"{verb} {Pick(["0", "10 LAST", "-1", "99999999999", "x"])}",
            _ => _r.Next(6) == 0 ? $"{verb} {Pick(["extra", "", " ", "\t"])}" : verb,
        };
        var bytes = Encoding.UTF8.GetBytes(text);
        return _r.Next(6) == 0 ? Noise(bytes) : bytes;
    }

    /// <summary>Byte-level noise the grammar does not produce.</summary>
    private byte[] Noise(byte[] line)
    {
        var list = new List<byte>(line);
        switch (_r.Next(9))
        {
            case 0: list.Insert(_r.Next(list.Count + 1), 0); break;
            case 1: list.Insert(_r.Next(list.Count + 1), (byte)'\r'); break;
            case 2: list.Insert(_r.Next(list.Count + 1), (byte)_r.Next(1, 32)); break;
            case 3: list.InsertRange(_r.Next(list.Count + 1), [0xC3, 0x28, 0xFF, 0xFE, 0xE2, 0x82]); break;
            case 4: list.AddRange(Enumerable.Repeat((byte)'A', _r.Next(1900, 9000))); break;
            case 5: list.Insert(_r.Next(list.Count + 1), (byte)'\t'); break;
            case 6: list.AddRange("   \t "u8.ToArray()); break;
            case 7: list.InsertRange(0, "  "u8.ToArray()); break;
            default: list.Add(0x80); break;
        }
        return list.ToArray();
    }
}
