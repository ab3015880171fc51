using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;

namespace Bulwark.Node.Configuration;

/// <summary>
/// Reads typed values from the merged configuration (file, then environment) and fails on the
/// first bad one with a <see cref="ConfigurationError"/> that names the key: a typo must stop
/// the node at start, not show up as odd behaviour under load.
/// </summary>
public sealed class SettingsReader(IConfiguration root)
{
    public IConfiguration Root { get; } = root;

    public string String(string key, string fallback, bool allowEmpty = false)
    {
        var value = Root[key] ?? fallback;
        if (!allowEmpty && string.IsNullOrWhiteSpace(value)) throw new ConfigurationError(key, "must not be empty");
        return value.Trim();
    }

    public int Int(string key, int fallback, int min, int max)
    {
        var text = Root[key];
        if (text is null) return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            throw new ConfigurationError(key, $"'{text}' is not a whole number");
        if (value < min || value > max) throw new ConfigurationError(key, $"{value} is outside {min}..{max}");
        return value;
    }

    public long Long(string key, long fallback, long min, long max)
    {
        var text = Root[key];
        if (text is null) return fallback;
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            throw new ConfigurationError(key, $"'{text}' is not a whole number");
        if (value < min || value > max) throw new ConfigurationError(key, $"{value} is outside {min}..{max}");
        return value;
    }

    public bool Bool(string key, bool fallback)
    {
        var text = Root[key];
        if (text is null) return fallback;
        return bool.TryParse(text, out var value) ? value : throw new ConfigurationError(key, $"'{text}' is not true or false");
    }

    /// <summary>A duration in seconds (fractions allowed).</summary>
    public TimeSpan Seconds(string key, TimeSpan fallback, double min, double max)
    {
        var text = Root[key];
        if (text is null) return fallback;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw new ConfigurationError(key, $"'{text}' is not a number of seconds");
        if (value < min || value > max) throw new ConfigurationError(key, $"{value} is outside {min}..{max} seconds");
        return TimeSpan.FromSeconds(value);
    }

    public IPAddress Address(string key, string fallback)
    {
        var text = String(key, fallback);
        return IPAddress.TryParse(text, out var address) ? address : throw new ConfigurationError(key, $"'{text}' is not an IP address");
    }

    public string[] List(string key)
    {
        var section = Root.GetSection(key);
        // Arrays come as children in JSON; environment variables may give one comma-separated value.
        if (section.Value is { } single)
            return single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return section.GetChildren().Select(c => c.Value ?? "").Where(v => v.Length > 0).ToArray();
    }

    public T OneOf<T>(string key, string fallback, IReadOnlyDictionary<string, T> choices)
    {
        var text = String(key, fallback).ToLowerInvariant();
        return choices.TryGetValue(text, out var value)
            ? value
            : throw new ConfigurationError(key, $"'{text}' is not one of {string.Join(", ", choices.Keys)}");
    }
}
