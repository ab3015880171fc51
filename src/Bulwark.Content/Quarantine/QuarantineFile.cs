using System.Runtime.InteropServices;
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

    /// <summary>
    /// fsync of a directory (persists the renames in it). Bulwark.Delivery has the same helper but
    /// it is internal to that assembly; .NET itself cannot open a directory for fsync on Linux
    /// (File.OpenHandle throws on a directory), hence open(2)/fsync(2) through libc. No-op on
    /// Windows, where NTFS journals metadata and directories cannot be flushed.
    /// </summary>
    public static void FsyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        const int readOnlyCloseOnExec = 0x80000; // O_RDONLY (0) | O_CLOEXEC, x86-64 and arm64
        var fd = Open(directory, readOnlyCloseOnExec);
        if (fd < 0) throw new IOException($"cannot open {directory} to fsync it: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"fsync of {directory} failed: errno {Marshal.GetLastPInvokeError()}");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
