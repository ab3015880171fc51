using System.Net;
using Bulwark.Node.Configuration.Conversion;
using Microsoft.Extensions.Options;

namespace Bulwark.Node.Configuration.Validation;

/// <summary>
/// The problems one validator finds, in the order it checks the keys, each as "Key: problem".
/// They leave the options pipeline as the failures of an <see cref="OptionsValidationException"/>;
/// <see cref="ToConfigurationError"/> turns the first back into the node's one error line.
/// </summary>
public sealed class SettingProblems
{
    private const string Separator = ": ";
    private readonly List<string> _failures = [];

    public bool Any => _failures.Count > 0;

    public void Add(string key, string problem) => _failures.Add(key + Separator + problem);

    /// <summary>False (and a problem) when the value is empty or only spaces.</summary>
    public bool NotEmpty(string key, string value)
    {
        if (!string.IsNullOrWhiteSpace(value)) return true;
        Add(key, "must not be empty");
        return false;
    }

    public void InRange(string key, long value, long min, long max)
    {
        if (value < min || value > max) Add(key, $"{value} is outside {min}..{max}");
    }

    /// <summary>A duration in seconds; NaN is outside every range.</summary>
    public void InRangeSeconds(string key, double seconds, double min, double max)
    {
        if (!(seconds >= min && seconds <= max)) Add(key, $"{seconds} is outside {min}..{max} seconds");
    }

    public void IpAddress(string key, string value)
    {
        if (NotEmpty(key, value) && !IPAddress.TryParse(value.Trim(), out _)) Add(key, $"'{value.Trim()}' is not an IP address");
    }

    public void OneOf<T>(string key, string value, NamedChoice<T> choice)
    {
        if (NotEmpty(key, value) && choice.Problem(value) is { } problem) Add(key, problem);
    }

    public void Cidrs(string key, IEnumerable<string>? entries)
    {
        if (entries is not null && CidrList.Problem(entries) is { } problem) Add(key, problem);
    }

    public void Score(string key, string? text)
    {
        if (SpamScore.Problem(text) is { } problem) Add(key, problem);
    }

    public ValidateOptionsResult ToResult() => Any ? ValidateOptionsResult.Fail(_failures) : ValidateOptionsResult.Success;

    /// <summary>The error for a failure written by <see cref="Add"/> (keys never hold ": ").</summary>
    public static ConfigurationError ToConfigurationError(string failure)
    {
        var at = failure.IndexOf(Separator, StringComparison.Ordinal);
        return at < 0 ? new ConfigurationError("configuration", failure) : new ConfigurationError(failure[..at], failure[(at + Separator.Length)..]);
    }
}
