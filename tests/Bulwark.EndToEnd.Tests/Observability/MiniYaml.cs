namespace Bulwark.EndToEnd.Tests.Observability;

/// <summary>
/// A strict reader for the block-style YAML subset Prometheus configuration uses (mappings,
/// sequences, plain and quoted scalars, literal/folded block scalars, one-line [a, b] lists).
/// It exists because the test project has no YAML package and promtool is not installed: a
/// line regex would miss multi-line `expr: |` rules and would not notice a broken indentation,
/// which Prometheus would refuse at load time. Mappings become Dictionary&lt;string, object?&gt;,
/// sequences List&lt;object?&gt;, scalars string. Anything outside the subset throws FormatException.
/// </summary>
public static class MiniYaml
{
    private sealed record Line(int Number, int Indent, string Text);

    public static object? Parse(string yaml)
    {
        var raw = yaml.Replace("\r\n", "\n").Split('\n');
        var reader = new Reader(raw);
        var root = reader.Node(0);
        if (reader.Peek() is { } extra) throw Error(extra, "unexpected indentation");
        return root;
    }

    private static FormatException Error(Line line, string why) => new($"line {line.Number}: {why}: {line.Text}");

    private sealed class Reader(string[] raw)
    {
        private int _next;

        /// <summary>The next line that holds something, comments stripped; null at the end.</summary>
        public Line? Peek()
        {
            while (_next < raw.Length)
            {
                var text = raw[_next];
                var indent = text.Length - text.TrimStart(' ').Length;
                if (text.Length > indent && text[indent] == '\t') throw new FormatException($"line {_next + 1}: tab in indentation");
                var content = StripComment(text[indent..]).TrimEnd();
                if (content.Length > 0) return new Line(_next + 1, indent, content);
                _next++;
            }
            return null;
        }

        public object? Node(int minIndent)
        {
            if (Peek() is not { } first || first.Indent < minIndent) return null;
            return IsItem(first.Text) ? Sequence(first.Indent) : Mapping(first.Indent);
        }

        private List<object?> Sequence(int indent)
        {
            var items = new List<object?>();
            while (Peek() is { } line && line.Indent == indent && IsItem(line.Text))
            {
                var rest = line.Text[1..].TrimStart(' ');
                if (rest.Length == 0)
                {
                    _next++;
                    items.Add(Node(indent + 1));
                    continue;
                }
                // "- key: value" opens a mapping whose keys sit where "key" starts.
                var inner = indent + (line.Text.Length - rest.Length);
                if (SplitKey(rest) is null)
                {
                    _next++;
                    items.Add(Scalar(rest, line));
                    continue;
                }
                raw[line.Number - 1] = new string(' ', inner) + rest;
                items.Add(Mapping(inner));
            }
            return items;
        }

        private Dictionary<string, object?> Mapping(int indent)
        {
            var map = new Dictionary<string, object?>();
            while (Peek() is { } line && line.Indent >= indent)
            {
                if (line.Indent > indent) throw Error(line, "unexpected indentation");
                if (IsItem(line.Text)) break;
                if (SplitKey(line.Text) is not var (key, rest)) throw Error(line, "expected 'key: value'");
                if (!map.TryAdd(key, null)) throw Error(line, $"duplicate key '{key}'");
                _next++;
                if (rest is "|" or "|-" or ">" or ">-") map[key] = BlockScalar(indent, rest[0] == '>');
                else if (rest.Length > 0) map[key] = Scalar(rest, line);
                // "key:" then "- item" at the same indentation is a sequence too.
                else if (Peek() is { } child && (child.Indent > indent || (child.Indent == indent && IsItem(child.Text))))
                    map[key] = Node(indent);
            }
            return map;
        }

        private string BlockScalar(int parentIndent, bool folded)
        {
            var lines = new List<string>();
            var indent = -1;
            while (_next < raw.Length)
            {
                var text = raw[_next];
                var own = text.Length - text.TrimStart(' ').Length;
                if (text.Trim().Length > 0 && own <= parentIndent) break;
                if (text.Trim().Length > 0 && indent < 0) indent = own;
                lines.Add(text.Trim().Length == 0 ? "" : text[Math.Min(indent, own)..]);
                _next++;
            }
            while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
            return string.Join(folded ? " " : "\n", lines);
        }
    }

    private static bool IsItem(string text) => text == "-" || text.StartsWith("- ", StringComparison.Ordinal);

    /// <summary>"key: value" or "key:", with the key unquoted; null when the text is no key.</summary>
    private static (string Key, string Value)? SplitKey(string text)
    {
        if (text.StartsWith('"') || text.StartsWith('\'') || text.StartsWith('[') || text.StartsWith('{')) return null;
        var colon = text.IndexOf(": ", StringComparison.Ordinal);
        if (colon < 0 && text.EndsWith(':')) colon = text.Length - 1;
        if (colon <= 0) return null;
        return (text[..colon].Trim(), text[(colon + 1)..].Trim());
    }

    private static object Scalar(string text, Line line)
    {
        if (text.StartsWith('"') || text.StartsWith('\''))
        {
            var quote = text[0];
            var end = text.LastIndexOf(quote);
            if (end == 0 || end != text.Length - 1) throw Error(line, "unterminated or trailing text after a quoted scalar");
            var body = text[1..end];
            return quote == '\'' ? body.Replace("''", "'") : body.Replace("\\\"", "\"").Replace("\\\\", "\\");
        }
        if (text.StartsWith('['))
        {
            if (!text.EndsWith(']')) throw Error(line, "unterminated flow sequence");
            return text[1..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(item => Scalar(item, line)).Cast<object?>().ToList();
        }
        if (text.StartsWith('{') || text.StartsWith('&') || text.StartsWith('*') || text.StartsWith('!'))
            throw Error(line, "flow mappings, anchors, aliases and tags are outside this subset");
        return text;
    }

    /// <summary>Drops a comment: '#' at the start or after a space, outside quotes.</summary>
    private static string StripComment(string text)
    {
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is not null) { if (c == quote) quote = null; continue; }
            if (c is '"' or '\'' && (i == 0 || text[i - 1] is ' ' or ':' or '[' or ',' or '-')) quote = c;
            else if (c == '#' && (i == 0 || text[i - 1] == ' ')) return text[..i];
        }
        return text;
    }
}
