using System.Text.Json.Serialization;
using Bulwark.Contracts.Serialization;
using Bulwark.Policy.Recipients;

namespace Bulwark.Contracts.RecipientDirectory;

/// <summary>Every message for the RecipientDirectory entity carries its domain (lower case,
/// an accepted domain: the listener refuses relaying before it asks).</summary>
public interface IRecipientDirectoryMessage : IWireContract
{
    string Domain { get; }
}

/// <summary>Is LocalPart@Domain a real recipient? Reply <see cref="RecipientAnswer"/>.</summary>
public sealed record VerifyRecipient(
    [property: JsonPropertyName("domain")] string Domain,
    [property: JsonPropertyName("localPart")] string LocalPart) : IRecipientDirectoryMessage;

/// <summary>Source says how it was known: "static", "catch-all", "call-ahead", "call-ahead-cache".</summary>
public sealed record RecipientAnswer(
    [property: JsonPropertyName("domain")] string Domain,
    [property: JsonPropertyName("localPart")] string LocalPart,
    [property: JsonPropertyName("existence")] RecipientExistence Existence,
    [property: JsonPropertyName("source")] string Source) : IWireContract
{
    /// <summary>Until when a call-ahead answer may be reused by whoever asked (the entity's own
    /// cache expiry for it); null: do not keep it (a temporary failure, or nothing to cache).</summary>
    [JsonPropertyName("validUntil")]
    public DateTimeOffset? ValidUntil { get; init; }
}
