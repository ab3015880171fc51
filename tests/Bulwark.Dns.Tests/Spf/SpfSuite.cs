using Bulwark.Policy.Dns;
using YamlDotNet.RepresentationModel;
using Bulwark.Tests.Shared;

namespace Bulwark.Dns.Tests.Spf;

/// <summary>One test of an OpenSPF / pyspf YAML suite (see shared/corpora/spf/README.md).</summary>
public sealed record SpfSuiteCase(
    string File,
    string Scenario,
    string Name,
    string Host,
    string MailFrom,
    string Helo,
    IReadOnlyList<string> Results,
    string? Explanation,
    YamlMappingNode? ZoneData)
{
    /// <summary>A fresh zone per test, so query counters are per test.</summary>
    public InMemoryDnsResolver BuildZone() => SpfSuite.BuildZone(ZoneData);
}

/// <summary>
/// Loads the suites (third-party data, BSD-3-Clause, kept in shared/corpora/spf beside the clone)
/// and turns their zonedata into an <see cref="InMemoryDnsResolver"/> the way the reference driver
/// (pyspf test/testspf.py) reads it.
/// </summary>
public static class SpfSuite
{
    public const string Folder = "shared/corpora/spf";
    public static readonly string[] Files = ["rfc7208-tests.yml", "rfc4408-tests.yml"];

    private static readonly Lazy<(IReadOnlyList<SpfSuiteCase> Cases, string? Error)> Loaded = new(Load);

    public static IReadOnlyList<SpfSuiteCase> Cases => Loaded.Value.Cases;

    /// <summary>Why the suites could not be read, or null.</summary>
    public static string? LoadError => Loaded.Value.Error;

    public static SpfSuiteCase Find(string file, string name) =>
        Cases.Single(c => c.File == file && c.Name == name);

    private static (IReadOnlyList<SpfSuiteCase>, string?) Load()
    {
        var folder = CorpusPaths.Find(Folder);
        if (folder is null) return ([], $"{Folder} not found in any parent of {AppContext.BaseDirectory}");
        var cases = new List<SpfSuiteCase>();
        try
        {
            foreach (var file in Files)
            {
                var stream = new YamlStream();
                using (var reader = new StreamReader(Path.Combine(folder, file))) stream.Load(reader);
                foreach (var doc in stream.Documents)
                    cases.AddRange(Scenario(file, (YamlMappingNode)doc.RootNode));
            }
            return (cases, null);
        }
        catch (Exception e)
        {
            return ([], $"SPF suites in {folder} unreadable: {e.Message}");
        }
    }

    private static IEnumerable<SpfSuiteCase> Scenario(string file, YamlMappingNode root)
    {
        var description = Scalar(root, "description") ?? "";
        root.Children.TryGetValue(new YamlScalarNode("zonedata"), out var zone);
        var tests = (YamlMappingNode)root.Children[new YamlScalarNode("tests")];
        foreach (var (key, value) in tests.Children)
        {
            var test = (YamlMappingNode)value;
            var result = test.Children[new YamlScalarNode("result")];
            var results = result is YamlSequenceNode list
                ? list.Children.Select(r => ((YamlScalarNode)r).Value!).ToArray()
                : [((YamlScalarNode)result).Value!];
            yield return new SpfSuiteCase(file, description, ((YamlScalarNode)key).Value!,
                Scalar(test, "host")!, Scalar(test, "mailfrom") ?? "", Scalar(test, "helo") ?? "",
                results, Scalar(test, "explanation"), zone as YamlMappingNode);
        }
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? ((YamlScalarNode)v).Value : null;

    /// <summary>
    /// pyspf driver rules: an SPF-type entry is served as TXT unless the name lists TXT of its own
    /// (so "TXT: NONE" hides it); TIMEOUT makes every type not listed before it time out; a name not
    /// in the zone does not exist; CNAMEs are followed.
    /// </summary>
    public static InMemoryDnsResolver BuildZone(YamlMappingNode? zonedata)
    {
        var zone = new InMemoryDnsResolver();
        if (zonedata is null) return zone;
        foreach (var (key, value) in zonedata.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            zone.AddName(name);
            var entries = ((YamlSequenceNode)value).Children;
            var hasTxt = entries.OfType<YamlMappingNode>().Any(e => TypeOf(e) == "TXT");
            foreach (var entry in entries)
            {
                if (entry is YamlScalarNode { Value: "TIMEOUT" })
                {
                    zone.MarkTimeout(name);
                    break; // records listed after TIMEOUT are never served
                }
                var map = (YamlMappingNode)entry;
                var type = TypeOf(map);
                var data = map.Children.Single().Value;
                switch (type)
                {
                    case "SPF" when !hasTxt:
                    case "TXT":
                        if (data is YamlScalarNode { Value: "NONE" }) break;
                        zone.AddTxt(name, data is YamlSequenceNode strings
                            ? strings.Children.Select(s => ((YamlScalarNode)s).Value ?? "")
                            : [((YamlScalarNode)data).Value ?? ""]);
                        break;
                    case "SPF":
                        break; // RFC 7208 dropped type SPF: only its TXT copy above is served
                    case "A":
                        zone.AddA(name, ((YamlScalarNode)data).Value!);
                        break;
                    case "AAAA":
                        zone.AddAaaa(name, ((YamlScalarNode)data).Value!);
                        break;
                    case "MX":
                        var mx = (YamlSequenceNode)data;
                        zone.AddMx(name, int.Parse(((YamlScalarNode)mx[0]).Value!), ((YamlScalarNode)mx[1]).Value ?? "");
                        break;
                    case "PTR":
                        zone.AddPtr(name, ((YamlScalarNode)data).Value!);
                        break;
                    case "CNAME":
                        zone.AddCname(name, ((YamlScalarNode)data).Value!);
                        break;
                    default:
                        throw new InvalidDataException($"zonedata {name}: unknown record type {type}");
                }
            }
        }
        return zone;
    }

    private static string TypeOf(YamlMappingNode entry) => ((YamlScalarNode)entry.Children.Single().Key).Value!;
}
