using System.Runtime.InteropServices;

namespace Bulwark.Delivery.Spool;

/// <summary>
/// fsync of a directory, which is what makes a rename (a directory entry) durable on Linux.
/// .NET cannot do it: File.OpenHandle on a directory throws UnauthorizedAccessException (checked
/// on .NET 10 / Linux), so this opens the directory with open(2) O_RDONLY|O_CLOEXEC through libc,
/// fsyncs and closes the descriptor. On Windows it does nothing: NTFS journals the metadata and a
/// directory cannot be flushed there anyway.
/// </summary>
public static class DirectorySync
{
    private const int O_RDONLY = 0;
    private const int O_CLOEXEC = 0x80000; // same value on x86-64 and arm64 Linux

    public static void Fsync(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        var fd = open(directory, O_RDONLY | O_CLOEXEC);
        if (fd < 0) throw new IOException($"open({directory}) for fsync failed: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            if (fsync(fd) != 0)
                throw new IOException($"fsync({directory}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
        finally
        {
            _ = close(fd);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
}
