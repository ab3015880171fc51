using System.Diagnostics;
using System.Net.Sockets;

namespace Bulwark.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real next hop: Postfix's smtp-sink on a loopback port, dumping every received message
/// into a folder. It can be stopped and started again on the same port (next hop down, then up).
/// </summary>
public sealed class SmtpSink : IDisposable
{
    public const string Binary = "/usr/sbin/smtp-sink";
    private Process? _process;

    private readonly string[] _extraArgs;

    /// <param name="extraArgs">smtp-sink options, e.g. "-f", "RCPT" to refuse every recipient with a 5xx.</param>
    public SmtpSink(int? port = null, params string[] extraArgs)
    {
        _extraArgs = extraArgs;
        Port = port ?? FreePort.Next();
        DumpDirectory = Directory.CreateTempSubdirectory("bulwark-sink-").FullName;
        // smtp-sink drops root privileges to 'nobody' and then writes the dumps.
        if (OperatingSystem.IsLinux()) File.SetUnixFileMode(DumpDirectory, (UnixFileMode)0x1FF);
    }

    public int Port { get; }
    public string DumpDirectory { get; }

    public void Start()
    {
        if (!File.Exists(Binary)) throw new InvalidOperationException($"{Binary} is missing: install Debian's postfix package (scripts/test.sh does)");
        var info = new ProcessStartInfo(Binary) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in _extraArgs) info.ArgumentList.Add(arg);
        foreach (var arg in new[] { "-u", "nobody", "-d", Path.Combine(DumpDirectory, "%Y%m%d%H%M%S."), $"127.0.0.1:{Port}", "64" })
            info.ArgumentList.Add(arg);
        _process = Process.Start(info) ?? throw new InvalidOperationException("smtp-sink did not start");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                if (_process.HasExited) throw new InvalidOperationException($"smtp-sink exited: {_process.StandardError.ReadToEnd()}");
                Thread.Sleep(50);
            }
        }
        throw new TimeoutException("smtp-sink did not open its port");
    }

    public void Stop()
    {
        if (_process is null) return;
        try
        {
            if (!_process.HasExited) _process.Kill();
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        _process = null;
    }

    /// <summary>The dumped messages so far (each: smtp-sink's X- headers, then the message).</summary>
    public IReadOnlyList<string> Messages() =>
        Directory.GetFiles(DumpDirectory).OrderBy(f => f).Select(File.ReadAllText).ToList();

    public async Task<IReadOnlyList<string>> WaitForMessagesAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var messages = Messages();
            // A dump file is complete once it ends with the empty line smtp-sink writes last.
            if (messages.Count >= count && messages.All(m => m.EndsWith("\n\n", StringComparison.Ordinal))) return messages;
            if (DateTime.UtcNow > deadline) return messages;
            await Task.Delay(100);
        }
    }

    /// <summary>The first complete dump containing <paramref name="marker"/>.</summary>
    public async Task<string> WaitForMessageAsync(string marker, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var found = Messages().FirstOrDefault(m => m.Contains(marker, StringComparison.Ordinal) && m.EndsWith("\n\n", StringComparison.Ordinal));
            if (found is not null) return found;
            await Task.Delay(100);
        }
        throw new TimeoutException($"no message with '{marker}' reached the sink");
    }

    public void Dispose()
    {
        Stop();
        try { Directory.Delete(DumpDirectory, recursive: true); } catch (IOException) { }
    }
}
