using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Text;

namespace Bulwark.Cli;

/// <summary>
/// The usage texts of `bulwark --help`, `bulwark COMMAND --help` and of usage errors, written from
/// the <see cref="CommandTree"/>. Plain lines with no terminal-width wrapping, so they read the
/// same on a terminal, in a pipe and in a test.
/// </summary>
public static class UsageText
{
    private const string ExitCodesLine = "exit codes: 0 done, 1 refused by the node or node unreachable, 2 bad usage\n";

    public static string For(CommandTree tree, Command command) => command switch
    {
        RootCommand root => ForRoot(tree, root),
        ApiCommand call => ForCall(tree, call),
        _ => ForGroup(tree, command),
    };

    private static string ForRoot(CommandTree tree, RootCommand root)
    {
        var text = new StringBuilder();
        text.Append("usage: bulwark [--config FILE]      run a node\n");
        text.Append("       bulwark COMMAND [options]    ask a running node through its admin API\n\n");
        text.Append("commands:\n");
        Columns(text, Leaves(root).Select(c => (Synopsis(tree, c), c.Description ?? "")));
        text.Append("\noptions of every command:\n");
        Columns(text, [.. tree.Shared.Select(o => (Label(o), o.Description ?? "")),
            (Label(Help(root)), "this text; after a command, that command's usage (bulwark queue --help)")]);
        text.Append("\noptions of the node:\n");
        Columns(text, root.Options.Where(o => o is not HelpOption).OrderBy(o => o is VersionOption).Select(o => (Label(o), o.Description ?? "")));
        text.Append('\n').Append(ExitCodesLine);
        return text.ToString();
    }

    private static string ForGroup(CommandTree tree, Command group)
    {
        var text = new StringBuilder();
        text.Append($"usage: bulwark {Words(group)} SUBCOMMAND [options]\n{group.Description}\n\nsubcommands:\n");
        Columns(text, group.Subcommands.OfType<ApiCommand>().Select(c => (Synopsis(tree, c)[(group.Name.Length + 1)..], c.Description ?? "")));
        text.Append("\noptions of every subcommand:\n");
        Columns(text, [.. tree.Shared.Select(o => (Label(o), o.Description ?? "")), (Label(Help(tree.Root)), "show this usage")]);
        text.Append('\n').Append(ExitCodesLine);
        return text.ToString();
    }

    private static string ForCall(CommandTree tree, ApiCommand call)
    {
        var text = new StringBuilder();
        text.Append($"usage: bulwark {Synopsis(tree, call)} [options]\n{call.Description}\n");
        if (call.Arguments.Count > 0)
        {
            text.Append("\narguments:\n");
            Columns(text, call.Arguments.Select(a => (a.Name, a.Description ?? "")));
        }
        text.Append("\noptions:\n");
        var options = call.Options.Where(o => !tree.Shared.Contains(o)).Concat(tree.Shared);
        Columns(text, [.. options.Select(o => (Label(o), o.Description ?? "")), (Label(Help(tree.Root)), "show this usage")]);
        text.Append('\n').Append(ExitCodesLine);
        return text.ToString();
    }

    /// <summary>"queue retry ID", "block IP [--minutes N] [--reason TEXT]": the words after
    /// "bulwark", with the command's own options (not the shared ones).</summary>
    public static string Synopsis(CommandTree tree, ApiCommand call)
    {
        var words = new List<string> { Words(call) };
        words.AddRange(call.Arguments.Select(a => a.Name));
        words.AddRange(call.Options.Where(o => !tree.Shared.Contains(o)).Select(o => $"[{Label(o)}]"));
        return string.Join(' ', words);
    }

    /// <summary>"queue retry": the words that name the command after "bulwark" ("" for the root).</summary>
    public static string Words(Command command)
    {
        var words = new List<string>();
        for (Command? c = command; c is not null && c is not RootCommand; c = c.Parents.OfType<Command>().FirstOrDefault())
            words.Insert(0, c.Name);
        return string.Join(' ', words);
    }

    /// <summary>The leaves in the order of the tree: "cluster", ..., "queue list", ...</summary>
    public static IEnumerable<ApiCommand> Leaves(Command command) =>
        command.Subcommands.SelectMany(c => c is ApiCommand call ? [call] : Leaves(c));

    private static HelpOption Help(RootCommand root) => root.Options.OfType<HelpOption>().Single();

    /// <summary>"-h, --help", "--admin URL", "--json": short aliases first, a value's name unless
    /// the option is a flag.</summary>
    private static string Label(Option option)
    {
        var shortNames = option.Aliases.Where(a => a.Length == 2 && a[0] == '-' && char.IsLetter(a[1])).Order();
        var names = string.Join(", ", [.. shortNames, option.Name]);
        return option.ValueType == typeof(bool) ? names : $"{names} {option.HelpName}";
    }

    private static void Columns(StringBuilder text, IEnumerable<(string Left, string Right)> rows)
    {
        var list = rows.ToList();
        var width = list.Max(r => r.Left.Length);
        foreach (var (left, right) in list)
            text.Append("  ").Append(left.PadRight(width)).Append("  ").Append(right).Append('\n');
    }
}

/// <summary>Replaces System.CommandLine's own help so that --help prints <see cref="UsageText"/>.</summary>
internal sealed class UsageAction(CommandTree tree) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.Write(UsageText.For(tree, parseResult.CommandResult.Command));
        return ExitCodes.Done;
    }
}
