using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bulwark.Delivery.Spool;

[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(Envelope))]
internal sealed partial class EnvelopeJsonContext : JsonSerializerContext;

/// <summary>Reads and durably writes the JSON envelope file (&lt;id&gt;.env).</summary>
internal static class EnvelopeFile
{
    public static byte[] Serialize(Envelope envelope) =>
        JsonSerializer.SerializeToUtf8Bytes(envelope, EnvelopeJsonContext.Default.Envelope);

    public static Envelope Read(string path) =>
        JsonSerializer.Deserialize(File.ReadAllBytes(path), EnvelopeJsonContext.Default.Envelope)
        ?? throw new InvalidDataException($"empty envelope {path}");

    /// <summary>Writes a new file (must not exist) and fsyncs it before returning, so that a later
    /// rename can never expose an empty or partial envelope after a crash.</summary>
    public static void WriteDurably(string path, Envelope envelope)
    {
        var bytes = Serialize(envelope);
        using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write);
        RandomAccess.Write(handle, bytes, 0);
        RandomAccess.FlushToDisk(handle);
    }
}
