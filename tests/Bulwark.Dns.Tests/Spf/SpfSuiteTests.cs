using System.Net;
using Bulwark.Policy.Spf;
using Bulwark.Dns.Spf;

namespace Bulwark.Dns.Tests.Spf;

/// <summary>
/// Every test of both OpenSPF suites (rfc7208-tests.yml and rfc4408-tests.yml) as its own theory
/// case named by file, scenario and test. A list of results means any of them is acceptable; the
/// explanation is compared when the suite gives one and the result is fail. A missing corpus
/// fails (one failing row), it is never skipped.
/// </summary>
public sealed class SpfSuiteTests
{
    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        if (SpfSuite.LoadError is { } error) data.Add("CORPUS_MISSING", error, "");
        foreach (var c in SpfSuite.Cases) data.Add(c.File, c.Scenario, c.Name);
        return data;
    }

    [Fact]
    public void Both_suites_are_present_and_complete()
    {
        Assert.Null(SpfSuite.LoadError);
        // Counts documented in shared/corpora/spf/README.md.
        Assert.Equal(203, SpfSuite.Cases.Count(c => c.File == "rfc7208-tests.yml"));
        Assert.Equal(191, SpfSuite.Cases.Count(c => c.File == "rfc4408-tests.yml"));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Suite_case(string file, string scenario, string test)
    {
        Assert.True(SpfSuite.LoadError is null, $"{scenario}");
        var c = SpfSuite.Find(file, test);
        var options = new SpfOptions { DefaultExplanation = "DEFAULT" };
        var evaluator = new SpfEvaluator(c.BuildZone(), options);

        var result = await evaluator.CheckMailFromAsync(IPAddress.Parse(c.Host), c.MailFrom, c.Helo);

        var actual = Name(result.Result);
        var expected = c.Results.Select(Normalize).ToArray();
        Assert.True(expected.Contains(actual),
            $"{file} / {test}: expected {string.Join(" or ", expected)}, got {actual} ({result.Problem}; mechanism {result.Mechanism})");
        if (c.Explanation is not null && actual == "fail")
            Assert.Equal(c.Explanation, result.Explanation);
    }

    private static string Normalize(string suiteResult) => suiteResult switch
    {
        "unknown" => "permerror",
        "error" => "temperror",
        _ => suiteResult,
    };

    private static string Name(SpfOutcome outcome) => outcome.ToString().ToLowerInvariant();
}
