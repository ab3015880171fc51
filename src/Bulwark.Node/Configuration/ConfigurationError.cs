namespace Bulwark.Node.Configuration;

/// <summary>A setting that cannot be used; the node prints one line naming the key and exits.</summary>
public sealed class ConfigurationError(string key, string problem) : Exception($"configuration error: {key}: {problem}")
{
    public string Key { get; } = key;
}
