using System.CommandLine;
using System.CommandLine.Parsing;

namespace Bulwark.Cli;

/// <summary>
/// Turns a `bulwark` command line into what it asks for: run the node, print help, a usage
/// error, or one admin API call. Pure (the environment comes in as a function), so every usage
/// rule is tested without a node.
/// </summary>
public static class CliParser
{
    public static ParsedCommandLine Parse(IReadOnlyList<string> args) => Parse(args, Environment.GetEnvironmentVariable);

    public static ParsedCommandLine Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var tree = new CommandTree();
        // No response files: "@x" is an ordinary value (a --reason may well start with one).
        var result = tree.Root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        var command = result.CommandResult.Command;
        if (result.Errors.Count > 0) return new UsageError(Problem(result), UsageText.For(tree, command));

        if (ReferenceEquals(result.Action, tree.Root.Action)) return new RunNode(result.GetValue(tree.Config));
        if (command is ApiCommand call && ReferenceEquals(result.Action, call.Action))
        {
            if (result.GetResult(tree.Config) is not null)
                return new UsageError("bulwark: --config is for running the node; a command takes --admin URL", UsageText.For(tree, call));
            var admin = Given(result.GetValue(tree.Admin)) ?? Given(environment("BULWARK_ADMIN_URL")) ?? CommandTree.DefaultAdminUrl;
            var token = Given(result.GetValue(tree.Token)) ?? Given(environment("BULWARK_ADMIN_TOKEN"));
            return new AdminCall(UsageText.Words(call), call.RequestFor(result),
                new AdminTarget(admin.TrimEnd('/'), token), result.GetValue(tree.Json));
        }

        // --help or --version: their actions only write text, here into a string.
        var output = new StringWriter();
        result.Invoke(new InvocationConfiguration { Output = output, Error = output });
        return new ShowText(output.ToString());
    }

    private static string? Given(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>One line on what is wrong, worded for the person who typed it.</summary>
    private static string Problem(ParseResult result)
    {
        var command = result.CommandResult.Command;
        var name = UsageText.Words(command);
        var where = command is RootCommand ? "" : $" for '{name}'";
        if (result.UnmatchedTokens is [var word, ..])
        {
            if (word.StartsWith('-'))
                return $"bulwark: unknown option '{word}'{where}{Hint(word, command.Options.Select(o => o.Name))}";
            if (command.Subcommands.Count > 0)
                return $"bulwark: unknown command '{word}'{where}{Hint(word, command.Subcommands.Select(c => c.Name))}";
            return $"bulwark: unexpected argument '{word}'{where}";
        }
        if (command.Subcommands.Count > 0 && command is not (ApiCommand or RootCommand))
            return $"bulwark: '{name}' needs a subcommand";
        if (result.Errors.Select(e => e.SymbolResult).OfType<OptionResult>().FirstOrDefault(o => o.Tokens.Count == 0) is { } option)
            return $"bulwark: {option.Option.Name} needs a value ({option.Option.HelpName})";
        if (command is ApiCommand { Value: { } value } && result.GetResult(value) is not { Tokens.Count: > 0 })
            return $"bulwark: '{name}' needs {value.Name}";
        // Anything else (none of the options is typed) in System.CommandLine's own words.
        return "bulwark: " + string.Join(" ", result.Errors.Select(e => e.Message));
    }

    /// <summary>" (did you mean 'block' or 'blocks'?)" for names close to the mistyped word.</summary>
    private static string Hint(string word, IEnumerable<string> names)
    {
        // One edit for a short name, two for a longer one; or the start of a name.
        var close = names
            .Where(n => Distance(word, n) <= Math.Clamp(n.Length / 3, 1, 2) || (word.Length >= 2 && n.StartsWith(word, StringComparison.Ordinal)))
            .OrderBy(n => Distance(word, n)).ThenBy(n => n, StringComparer.Ordinal)
            .Select(n => $"'{n}'").ToList();
        return close.Count == 0 ? "" : $" (did you mean {string.Join(" or ", close)}?)";
    }

    /// <summary>Edit distance (insertions, deletions, substitutions).</summary>
    public static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}
