using System.Text.Json;
using System.Text.RegularExpressions;
using Bulwark.EndToEnd.Tests.Infrastructure;
using Bulwark.Tests.Shared;

namespace Bulwark.EndToEnd.Tests.Observability;

/// <summary>
/// deploy/grafana and deploy/prometheus against a real node: a dashboard or an alert that names
/// a metric the node does not export shows "No data" (or never fires) without any error, so the
/// only way to catch a renamed metric is to compare the queries with a live /metrics page.
/// </summary>
public sealed partial class GrafanaDashboardTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(15) };
    private static readonly string Deploy = Path.Combine(RepoPaths.Root, "deploy");
    private static readonly string[] BuiltInPanelTypes = ["row", "timeseries", "stat", "table", "bargauge"];

    [GeneratedRegex(@"\bbulwark_[a-z0-9_]+")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"\b(bulwark_[a-z0-9_]+)(\{[^}]*\})?")]
    private static partial Regex Selector();

    [Fact]
    public async Task Every_metric_the_dashboard_and_the_alerts_use_is_a_sample_on_a_live_node()
    {
        using var node = await BulwarkNode.StartAsync();
        using (var client = await RawSmtpClient.ConnectAsync(node.SmtpPort))
        {
            Assert.StartsWith("220 ", await client.ReadReplyAsync());
            Assert.StartsWith("250", await client.CommandAsync("EHLO client.test"));
            await client.CommandAsync("MAIL FROM:<sender@remote.test>");
            await client.CommandAsync("RCPT TO:<nobody@example.test>");
            await client.CommandAsync("QUIT");
        }

        var exposition = await Http.GetStringAsync(node.AdminUrl + "/metrics");
        var samples = SampleNames(exposition);
        Assert.True(PrometheusSamples.Any(exposition, "bulwark_smtp_verdicts_total", ("phase", "rcpt")), exposition);

        var used = DashboardExprs().Concat(AlertExprs())
            .SelectMany(expr => MetricName().Matches(expr).Select(m => m.Value))
            .ToHashSet();
        var missing = used.Where(name => !samples.Contains(name)).Order().ToList();
        Assert.True(missing.Count == 0, "used by the dashboard or alerts but not on /metrics: " + string.Join(", ", missing));

        // The other way round: a metric nobody charts is a metric nobody watches.
        var exported = exposition.Split('\n').Where(l => l.StartsWith("# TYPE bulwark_", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[2]).ToList();
        var unused = exported.Where(name => !used.Any(u => u == name || u.StartsWith(name + "_", StringComparison.Ordinal))).ToList();
        Assert.True(unused.Count == 0, "exported but on no dashboard panel or alert: " + string.Join(", ", unused));
    }

    [Fact]
    public void The_dashboard_imports_anywhere_and_every_panel_follows_the_variables()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(DashboardPath));
        var root = doc.RootElement;
        Assert.InRange(root.GetProperty("schemaVersion").GetInt32(), 36, 41);

        var variables = root.GetProperty("templating").GetProperty("list").EnumerateArray()
            .ToDictionary(v => v.GetProperty("name").GetString()!);
        var datasource = variables["datasource"];
        Assert.Equal("datasource", datasource.GetProperty("type").GetString());
        Assert.Equal("prometheus", datasource.GetProperty("query").GetString());
        var instance = variables["instance"];
        Assert.Equal("query", instance.GetProperty("type").GetString());
        Assert.True(instance.GetProperty("multi").GetBoolean());
        Assert.True(instance.GetProperty("includeAll").GetBoolean());
        Assert.Equal("label_values(bulwark_build_info, instance)", instance.GetProperty("definition").GetString());
        Assert.True(UsesDatasourceVariable(instance.GetProperty("datasource")));

        var panels = AllPanels(root).ToList();
        var ids = panels.Select(p => p.GetProperty("id").GetInt32()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        foreach (var panel in panels)
        {
            var title = panel.GetProperty("title").GetString();
            Assert.Contains(panel.GetProperty("type").GetString(), BuiltInPanelTypes);
            if (panel.GetProperty("type").GetString() == "row") continue;
            Assert.True(UsesDatasourceVariable(panel.GetProperty("datasource")), $"panel '{title}' has a fixed datasource");
            var targets = panel.GetProperty("targets").EnumerateArray().ToList();
            Assert.NotEmpty(targets);
            foreach (var target in targets)
            {
                Assert.True(UsesDatasourceVariable(target.GetProperty("datasource")), $"a query of '{title}' has a fixed datasource");
                var expr = target.GetProperty("expr").GetString()!;
                Assert.True(Balanced(expr), $"unbalanced brackets in '{title}': {expr}");
                foreach (Match selector in Selector().Matches(expr))
                    Assert.True(selector.Groups[2].Value.Contains("instance=~\"$instance\""),
                        $"'{title}' reads {selector.Groups[1].Value} without the $instance filter: {expr}");
            }
        }
        var verdicts = panels.Single(p => p.GetProperty("title").GetString() == "Verdicts by phase and code");
        Assert.Equal("{{phase}} {{code}} {{enhanced}}", verdicts.GetProperty("targets")[0].GetProperty("legendFormat").GetString());
    }

    [Fact]
    public void The_Prometheus_example_parses_scrapes_metrics_and_loads_sensible_alert_rules()
    {
        var config = Map(MiniYaml.Parse(File.ReadAllText(Path.Combine(Deploy, "prometheus", "prometheus.yml"))));
        var job = List(config["scrape_configs"]).Select(Map).Single(j => (string?)j["job_name"] == "bulwark");
        Assert.Equal("/metrics", job["metrics_path"]);
        Assert.NotEmpty(List(Map(List(job["static_configs"])[0])["targets"]));
        var ruleFiles = List(config["rule_files"]).Cast<string>().ToList();
        Assert.Contains("bulwark-alerts.yml", ruleFiles);
        Assert.All(ruleFiles, f => Assert.True(File.Exists(Path.Combine(Deploy, "prometheus", f)), f));

        var rules = AlertRules().ToList();
        Assert.True(rules.Count >= 5, "a few alert rules expected");
        Assert.Equal(rules.Count, rules.Select(r => (string?)r["alert"]).Distinct().Count());
        foreach (var rule in rules)
        {
            var name = Assert.IsType<string>(rule["alert"]);
            var expr = Assert.IsType<string>(rule["expr"]);
            Assert.True(Balanced(expr), $"{name}: unbalanced brackets in {expr}");
            if (rule.TryGetValue("for", out var wait)) Assert.Matches(@"^\d+[smhd]$", Assert.IsType<string>(wait));
            Assert.Contains(Map(rule["labels"])["severity"], new[] { "critical", "warning", "info" });
            Assert.False(string.IsNullOrWhiteSpace(Map(rule["annotations"])["summary"] as string), name);
        }
    }

    [Fact]
    public void The_YAML_reader_refuses_what_Prometheus_would_refuse()
    {
        Assert.Throws<FormatException>(() => MiniYaml.Parse("a:\n\tb: 1\n"));
        Assert.Throws<FormatException>(() => MiniYaml.Parse("a: 1\n   b: 2\n"));
        Assert.Throws<FormatException>(() => MiniYaml.Parse("a: 1\na: 2\n"));
        Assert.Throws<FormatException>(() => MiniYaml.Parse("a: \"open\n"));
        Assert.Throws<FormatException>(() => MiniYaml.Parse("a: 1\nloose words\n"));
        var parsed = Map(MiniYaml.Parse("r:\n- x: 1 # note\n  e: |\n    sum(a)\n      > 1\n- y\n"));
        var items = List(parsed["r"]);
        Assert.Equal("sum(a)\n  > 1", Map(items[0])["e"]);
        Assert.Equal("1", Map(items[0])["x"]);
        Assert.Equal("y", items[1]);
    }

    private static string DashboardPath => Path.Combine(Deploy, "grafana", "bulwark-overview.json");

    private static Dictionary<string, object?> Map(object? node) => Assert.IsType<Dictionary<string, object?>>(node);
    private static List<object?> List(object? node) => Assert.IsType<List<object?>>(node);

    private static IEnumerable<Dictionary<string, object?>> AlertRules() =>
        List(Map(MiniYaml.Parse(File.ReadAllText(Path.Combine(Deploy, "prometheus", "bulwark-alerts.yml"))))["groups"])
            .SelectMany(g => List(Map(g)["rules"])).Select(Map);

    private static IEnumerable<string> AlertExprs() => AlertRules().Select(r => Assert.IsType<string>(r["expr"]));

    private static List<string> DashboardExprs()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(DashboardPath));
        var exprs = AllPanels(doc.RootElement)
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Where(t => t.TryGetProperty("expr", out _))
            .Select(t => t.GetProperty("expr").GetString()!)
            .ToList();
        // The $instance variable's own query names a metric too.
        exprs.AddRange(doc.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray()
            .Where(v => v.TryGetProperty("definition", out _)).Select(v => v.GetProperty("definition").GetString()!));
        return exprs;
    }

    /// <summary>Top-level panels and those inside rows (a collapsed row holds its panels).</summary>
    private static IEnumerable<JsonElement> AllPanels(JsonElement container)
    {
        if (!container.TryGetProperty("panels", out var panels)) yield break;
        foreach (var panel in panels.EnumerateArray())
        {
            yield return panel;
            foreach (var inner in AllPanels(panel)) yield return inner;
        }
    }

    private static bool UsesDatasourceVariable(JsonElement datasource) =>
        datasource.ValueKind == JsonValueKind.String
            ? datasource.GetString() == "${datasource}"
            : datasource.TryGetProperty("uid", out var uid) && uid.GetString() == "${datasource}";

    /// <summary>Names at the start of sample lines: "name{labels} value" or "name value".</summary>
    private static HashSet<string> SampleNames(string exposition) =>
        exposition.Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l[..l.IndexOfAny(['{', ' '])])
            .ToHashSet();

    private static bool Balanced(string expr)
    {
        var stack = new Stack<char>();
        var quoted = false;
        foreach (var c in expr)
        {
            if (c == '"') quoted = !quoted;
            if (quoted) continue;
            if (c is '(' or '{' or '[') stack.Push(c);
            else if (c is ')' or '}' or ']' && (stack.Count == 0 || stack.Pop() != (c == ')' ? '(' : c == '}' ? '{' : '['))) return false;
        }
        return stack.Count == 0 && !quoted;
    }
}
