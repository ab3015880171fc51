using System.Text.Json;
using System.Text.Json.Serialization;
using Bulwark.Policy.Spf;

namespace Bulwark.Contracts.Serialization;

/// <summary>
/// <see cref="SpfResult"/> lives in Bulwark.Policy, which knows nothing of the wire, so its
/// JSON names are fixed here rather than by attributes on it.
/// </summary>
internal sealed class SpfResultConverter : JsonConverter<SpfResult>
{
    private const string ResultName = "result";
    private const string DomainName = "domain";
    private const string ExplanationName = "explanation";
    private const string MechanismName = "mechanism";
    private const string ProblemName = "problem";

    public override SpfResult Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("an SPF result must be an object");
        SpfOutcome? outcome = null;
        string? domain = null, explanation = null, mechanism = null, problem = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case ResultName: outcome = JsonSerializer.Deserialize<SpfOutcome>(ref reader, options); break;
                case DomainName: domain = reader.GetString(); break;
                case ExplanationName: explanation = reader.GetString(); break;
                case MechanismName: mechanism = reader.GetString(); break;
                case ProblemName: problem = reader.GetString(); break;
                // A field added by a newer release is skipped, as for the attributed records.
                default: reader.Skip(); break;
            }
        }
        if (outcome is null || domain is null)
            throw new JsonException("an SPF result needs a result and a domain");
        return new SpfResult(outcome.Value, domain, explanation, mechanism, problem);
    }

    public override void Write(Utf8JsonWriter writer, SpfResult value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WritePropertyName(ResultName);
        JsonSerializer.Serialize(writer, value.Result, options);
        writer.WriteString(DomainName, value.Domain);
        writer.WriteString(ExplanationName, value.Explanation);
        writer.WriteString(MechanismName, value.Mechanism);
        writer.WriteString(ProblemName, value.Problem);
        writer.WriteEndObject();
    }
}
