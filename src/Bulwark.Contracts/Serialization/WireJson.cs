using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bulwark.Contracts.Serialization;

/// <summary>The System.Text.Json settings of <see cref="BulwarkSerializer"/>.</summary>
internal static class WireJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            // Names come from the JsonPropertyName attributes alone; no policy may rewrite them.
            PropertyNamingPolicy = null,
            PropertyNameCaseInsensitive = false,
            // A property added by a newer release is ignored by an older node, and one missing
            // from an older row takes its C# default: both directions of a rolling upgrade read.
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
            NumberHandling = JsonNumberHandling.Strict,
        };
        foreach (var converter in WireEnums.Converters)
            options.Converters.Add(converter);
        options.Converters.Add(new SpfResultConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
