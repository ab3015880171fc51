namespace Bulwark.Cli;

/// <summary>What a `bulwark` command line asks for, decided without side effects by
/// <see cref="CliParser.Parse(IReadOnlyList{string}, Func{string, string?})"/>.</summary>
public abstract record ParsedCommandLine;

/// <summary>No command: run the node, with the file given by --config when there was one.</summary>
public sealed record RunNode(string? ConfigFile) : ParsedCommandLine;

/// <summary>--help or --version: Text goes to standard output, exit 0.</summary>
public sealed record ShowText(string Text) : ParsedCommandLine;

/// <summary>A command line that means nothing: Message and the Usage of the command it got as
/// far as go to standard error, exit 2.</summary>
public sealed record UsageError(string Message, string Usage) : ParsedCommandLine;

/// <summary>One admin API call. Command is the words that named it ("queue retry"), for messages;
/// Json: print the node's answer as it is instead of <see cref="CliRequest.View"/>.</summary>
public sealed record AdminCall(string Command, CliRequest Request, AdminTarget Target, bool Json) : ParsedCommandLine;

/// <summary>Where the admin API is (no trailing slash) and the bearer token for it, if any.</summary>
public sealed record AdminTarget(string BaseUrl, string? Token);

/// <summary>The exit codes of the CLI, as the README documents them.</summary>
public static class ExitCodes
{
    public const int Done = 0;
    public const int Refused = 1;
    public const int Usage = 2;
}
