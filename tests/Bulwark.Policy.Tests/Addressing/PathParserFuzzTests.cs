using System.Text;
using Bulwark.Policy.Addressing;

namespace Bulwark.Policy.Tests.Addressing;

/// <summary>
/// Random input must never throw, and whatever parses must satisfy the parser's own invariants.
/// Seeded, so a failure reproduces; half the inputs are mutations of valid paths so that the
/// generator reaches deep into the grammar rather than failing on the first character.
/// </summary>
public sealed class PathParserFuzzTests
{
    private const int Iterations = 20_000;

    // Structural characters of the grammar, weighted by repetition, plus awkward extras.
    private const string Alphabet = "<<>>@@@..\"\"\\\\[]::,,==  -%!abcXYZ019_()\t\r\n\0\u007f\u0085éü用😀";

    private static readonly string[] Seeds =
    [
        "<a@b.example>", "<> SIZE=10", "<\"x y\"@b.example> BODY=8BITMIME", "<@r.example,@s.example:u@d.example>",
        "<u@[192.0.2.1]>", "<u@[IPv6:2001:db8::1]>", "<u@[IPv6:1:2:3:4::192.0.2.1]>", "<postmaster>", "a@b.example SMTPUTF8",
        "<用户@例子.广告>",
    ];

    [Fact]
    public void Twenty_thousand_random_arguments_never_throw_and_results_are_consistent()
    {
        var random = new Random(5321);
        var domains = new HashSet<string> { "b.example", "d.example" };
        var parsed = 0;
        for (var n = 0; n < Iterations; n++)
        {
            var input = n % 2 == 0 ? RandomString(random) : Mutate(random, Seeds[random.Next(Seeds.Length)]);
            foreach (var allowNull in new[] { false, true })
            {
                ParsedPath? path;
                PathProblem problem;
                try
                {
                    if (!PathParser.TryParse(input, allowNull, out path, out problem))
                    {
                        Assert.Null(path);
                        Assert.True(problem is PathProblem.Syntax or PathProblem.TooLong or PathProblem.ParameterSyntax);
                        continue;
                    }
                    parsed++;
                    CheckInvariants(path!, problem, allowNull);
                    RelayRules.CheckRecipient(path!, domains);
                    if (path!.Mailbox is { } m) RelayRules.RecipientKey(m);
                }
                catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                {
                    Assert.Fail($"input #{n} {Escape(input)} threw {e}");
                }
            }
        }
        Assert.True(parsed > 1000, $"only {parsed} inputs parsed: the generator is not reaching the grammar");
    }

    private static void CheckInvariants(ParsedPath path, PathProblem problem, bool allowNull)
    {
        Assert.Equal(RelayRules.FindRoutingProblem(path), problem);
        if (path.Mailbox is not { } m)
        {
            Assert.True(allowNull);
            return;
        }
        if (!m.Domain.StartsWith('[')) Assert.Equal(m.Domain.ToLowerInvariant(), m.Domain);
        if (m.Domain.Length == 0) return; // bare postmaster
        // What we would write on the wire parses back to the same mailbox.
        Assert.True(PathParser.TryParse("<" + m.Address + ">", allowNull, out var again, out _), Escape(m.Address));
        Assert.Equal(m, again!.Mailbox);
    }

    private static string RandomString(Random random)
    {
        var length = random.Next(0, random.Next(2) == 0 ? 16 : 300);
        var sb = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            if (random.Next(20) == 0) sb.Append((char)random.Next(0, 0x10000)); // anything, lone surrogates too
            else sb.Append(Alphabet[random.Next(Alphabet.Length)]);
        }
        return sb.ToString();
    }

    private static string Mutate(Random random, string seed)
    {
        var sb = new StringBuilder(seed);
        for (var k = random.Next(1, 4); k > 0; k--)
        {
            var at = random.Next(sb.Length + 1);
            switch (random.Next(4))
            {
                case 0: sb.Insert(at, Alphabet[random.Next(Alphabet.Length)]); break;
                case 1 when at < sb.Length: sb.Remove(at, 1); break;
                case 2 when at < sb.Length: sb[at] = Alphabet[random.Next(Alphabet.Length)]; break;
                case 3: sb.Insert(at, new string('a', random.Next(0, 300))); break;
            }
        }
        return sb.ToString();
    }

    private static string Escape(string s) =>
        string.Concat(s.Select(c => c is < ' ' or > '~' ? $"\\u{(int)c:x4}" : c.ToString()));
}
