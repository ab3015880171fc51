using Bulwark.Delivery.Spool;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bulwark.Content.Quarantine;

// Indented camelCase: operators read these files (and `show` prints them).
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(QuarantineEntry))]
internal sealed partial class QuarantineJsonContext : JsonSerializerContext;

/// <summary>Durable file primitives of the quarantine: JSON metadata written and fsynced before
/// its rename, and the directory fsync that makes a rename itself durable.</summary>
internal static class QuarantineFile
{
    public static QuarantineEntry Read(string path) =>
        JsonSerializer.Deserialize(File.ReadAllBytes(path), QuarantineJsonContext.Default.QuarantineEntry)
        ?? throw new InvalidDataException($"empty quarantine metadata {path}");

    /// <summary>Creates the file (must not exist), writes and fsyncs it.</summary>
    public static void WriteDurably(string path, QuarantineEntry entry)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(entry, QuarantineJsonContext.Default.QuarantineEntry);
        using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write);
        RandomAccess.Write(handle, bytes, 0);
        RandomAccess.FlushToDisk(handle);
    }

    /// <summary>fsync of a directory: persists the renames in it (the spool's helper).</summary>
    public static void FsyncDirectory(string directory) => DirectorySync.Fsync(directory);
}
