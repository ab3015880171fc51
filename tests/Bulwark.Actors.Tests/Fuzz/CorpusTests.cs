using System.Globalization;
using System.Text;

namespace Bulwark.Actors.Tests.Fuzz;

/// <summary>A node shared by the corpus cases.</summary>
public sealed class FuzzNodeFixture : IAsyncLifetime
{
    public FuzzNode Node { get; private set; } = null!;
    public Task InitializeAsync()
    {
        Node = new FuzzNode(reputation: false);
        return Task.CompletedTask;
    }
    public async Task DisposeAsync() => await Node.DisposeAsync();
}

/// <summary>
/// Inputs the fuzzer found interesting, kept as regression cases (Fuzz/corpus/*.smtp). Each
/// file: "send:" lines (escaped bytes: \r \n \t \0 \\ \xHH), one write each, and "expect:"
/// lines, every reply line the server must send after its greeting, in order, up to its close.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class CorpusTests(FuzzNodeFixture fixture) : IClassFixture<FuzzNodeFixture>
{
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Fuzz", "corpus");

    public static TheoryData<string> Cases()
    {
        var cases = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Folder, "*.smtp").OrderBy(f => f, StringComparer.Ordinal)) cases.Add(Path.GetFileName(file));
        return cases;
    }

    [Fact]
    public void The_corpus_is_copied_next_to_the_tests() => Assert.True(Directory.GetFiles(Folder, "*.smtp").Length >= 5, Folder);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_corpus_case_gets_exactly_its_expected_replies(string name)
    {
        var sends = new List<string>();
        var expected = new List<string>();
        foreach (var line in File.ReadAllLines(Path.Combine(Folder, name)))
        {
            if (line.StartsWith("send: ")) sends.Add(Unescape(line["send: ".Length..]));
            else if (line.StartsWith("expect: ")) expected.Add(Unescape(line["expect: ".Length..]));
        }
        Assert.NotEmpty(sends);
        var replies = await FinalCheck.ConverseAsync(fixture.Node, [.. sends]);
        Assert.Equal("220 mx.test ESMTP Bulwark", replies[0]);
        Assert.Equal(expected, replies.Skip(1).Select(r => Queued(r)));
        Assert.Empty(fixture.Node.Errors);
    }

    // Queue ids differ on every run.
    private static string Queued(string reply) => reply.StartsWith("250 2.0.0 queued as ") ? "250 2.0.0 queued as *" : reply;

    public static string Unescape(string s)
    {
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] != '\\' || i + 1 == s.Length) { sb.Append(s[i]); continue; }
            var c = s[++i];
            switch (c)
            {
                case 'r': sb.Append('\r'); break;
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case '0': sb.Append('\0'); break;
                case 'x':
                    sb.Append((char)byte.Parse(s.AsSpan(i + 1, 2), NumberStyles.HexNumber));
                    i += 2;
                    break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }
}
