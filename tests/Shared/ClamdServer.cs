using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bulwark.Tests.Shared;

/// <summary>
/// A real clamd on loopback for tests: a private clamd.conf in a temporary folder, a database
/// holding only EICAR's signatures (clamd refuses to start on an empty one), clamd run in the
/// foreground as a child process so it is stopped by its own pid. No User directive: clamd then
/// runs as whoever starts it, so the temporary folder is always writable (with "User clamav" a
/// root-owned folder makes INSTREAM connections close with no answer). Missing binary fails
/// loudly: run scripts/install-deps.sh (package clamav-daemon).
/// </summary>
public sealed class ClamdServer : IDisposable
{
    public const string ClamdPath = "/usr/sbin/clamd";
    public const string EicarMd5Signature = "44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature";
    /// <summary>A body signature: the MD5 one only matches EICAR as a whole file (or a whole decoded
    /// attachment), this one also finds it as text inside a mail body.</summary>
    public static readonly string EicarBodySignature = "Eicar-Test-Signature-Body:0:*:" + Convert.ToHexStringLower(Encoding.ASCII.GetBytes(Eicar));
    /// <summary>The 68-byte EICAR test file.</summary>
    public const string Eicar = @"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "bulwark-clamd-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly StringBuilder _output = new();
    private Process? _process;

    /// <param name="streamMaxLength">clamd's StreamMaxLength ("25M", "1K"...): larger INSTREAM streams get an ERROR.</param>
    public ClamdServer(string streamMaxLength = "25M")
    {
        if (!File.Exists(ClamdPath))
            throw new InvalidOperationException($"{ClamdPath} is missing: run scripts/install-deps.sh (package clamav-daemon)");
        Port = FreePort();
        Directory.CreateDirectory(Path.Combine(_dir, "db"));
        Directory.CreateDirectory(Path.Combine(_dir, "tmp"));
        File.WriteAllText(Path.Combine(_dir, "db", "test.hdb"), EicarMd5Signature + "\n");
        File.WriteAllText(Path.Combine(_dir, "db", "test.ndb"), EicarBodySignature + "\n");
        File.WriteAllText(ConfigPath, string.Join('\n',
            $"TCPSocket {Port.ToString(CultureInfo.InvariantCulture)}",
            "TCPAddr 127.0.0.1",
            $"LocalSocket {SocketPath}",
            $"DatabaseDirectory {Path.Combine(_dir, "db")}",
            $"TemporaryDirectory {Path.Combine(_dir, "tmp")}",
            $"PidFile {Path.Combine(_dir, "clamd.pid")}",
            $"LogFile {Path.Combine(_dir, "clamd.log")}",
            "Foreground yes",
            "ScanMail yes", // without it an EICAR inside a base64 MIME attachment is not found
            "ScanArchive yes",
            $"StreamMaxLength {streamMaxLength}",
            "SelfCheck 0", // no periodic database reload in tests
            "") + "\n");
    }

    public int Port { get; }
    /// <summary>The "host:port" form ClamdClient takes.</summary>
    public string Endpoint => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);
    /// <summary>clamd also listens on this unix socket.</summary>
    public string SocketPath => Path.Combine(_dir, "clamd.sock");
    public string ConfigPath => Path.Combine(_dir, "clamd.conf");
    public int? Pid => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>Starts clamd and waits until it answers PING (it normally takes well under a second).</summary>
    public ClamdServer Start(TimeSpan? timeout = null)
    {
        if (Pid is not null) return this;
        var psi = new ProcessStartInfo(ClamdPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(ConfigPath);
        var p = Process.Start(psi) ?? throw new InvalidOperationException("clamd did not start");
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _process = p;
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (p.HasExited) throw new InvalidOperationException($"clamd exited with {p.ExitCode}:\n{Output}");
            if (Ping()) return this;
            Thread.Sleep(50);
        }
        Stop();
        throw new TimeoutException($"clamd did not answer PING on {Endpoint}:\n{Output}");
    }

    /// <summary>Kills clamd by its pid (SIGKILL: a scanner dying mid-run) and waits until the port is closed.</summary>
    public void Stop()
    {
        var p = _process;
        _process = null;
        if (p is null) return;
        try
        {
            if (!p.HasExited) p.Kill(entireProcessTree: false);
            p.WaitForExit(10_000);
        }
        catch (InvalidOperationException) { /* already gone */ }
        p.Dispose();
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>zPING over a raw socket, independent of the client under test.</summary>
    public bool Ping()
    {
        try
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 1000, SendTimeout = 1000 };
            s.Connect(IPAddress.Loopback, Port);
            s.Send("zPING\0"u8);
            var buf = new byte[16];
            var n = s.Receive(buf);
            return Encoding.ASCII.GetString(buf, 0, n).StartsWith("PONG", StringComparison.Ordinal);
        }
        catch (SocketException) { return false; }
    }

    public void Dispose()
    {
        Stop();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
