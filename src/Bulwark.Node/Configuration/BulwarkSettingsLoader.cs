using Bulwark.Node.Configuration.Binding;
using Bulwark.Node.Configuration.Validation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Bulwark.Node.Configuration;

/// <summary>
/// Builds <see cref="BulwarkSettings"/> from cluster-config/bulwark.json and BULWARK_-prefixed
/// environment variables ("__" separates levels: BULWARK_Smtp__Port=2526; a list may be one
/// comma-separated value). Relative paths are taken from the directory the node was started in.
/// </summary>
/// <remarks>
/// Keys without a value are left out (<see cref="GivenValues"/>: they mean the default), then
/// three steps, each stopping at the first bad value with a <see cref="ConfigurationError"/>:
/// every number and true/false converts (<see cref="ConvertibleValues"/>); the options binder
/// fills <see cref="BulwarkOptions"/> and the section validators check it, eagerly, as
/// ValidateOnStart would in a host, because the node needs its settings before it builds one;
/// then <see cref="SettingsFromOptions"/> gives the typed records. Keys no option names are
/// ignored, as they always were.
/// </remarks>
public static class BulwarkSettingsLoader
{
    public const string EnvironmentPrefix = "BULWARK_";

    public static IConfiguration BuildConfiguration(string? configFile)
    {
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            if (!File.Exists(configFile)) throw new ConfigurationError("--config", $"file '{configFile}' not found");
            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        }
        builder.AddEnvironmentVariables(EnvironmentPrefix);
        return builder.Build();
    }

    public static BulwarkSettings Load(IConfiguration configuration)
    {
        var given = GivenValues.Of<BulwarkOptions>(configuration);
        ConvertibleValues.Check<BulwarkOptions>(given);
        return SettingsFromOptions.Create(BindAndValidate(given));
    }

    /// <summary>The options pipeline without a host: bind, then run every validator.</summary>
    public static BulwarkOptions BindAndValidate(IConfiguration configuration)
    {
        var factory = new OptionsFactory<BulwarkOptions>(
            [new ConfigureFromConfigurationOptions<BulwarkOptions>(configuration)],
            [],
            SectionValidator.InOrder);
        try
        {
            return factory.Create(Options.DefaultName);
        }
        catch (OptionsValidationException e)
        {
            throw SettingProblems.ToConfigurationError(e.Failures.First());
        }
    }
}
