using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Bulwark.Tests.Shared;

/// <summary>
/// A real rspamd on loopback for tests: Debian's /etc/rspamd/rspamd.conf unchanged, everything
/// else (local config, database, run and log folders) redirected to a temporary folder with
/// --var. The normal worker and the controller listen on free loopback ports, the proxy is off,
/// DNS goes to a closed loopback port (lookups fail fast, nothing leaves the machine) and the
/// modules that reach the internet are disabled. spf and http_headers stay on so the SPF result
/// a client passes in its "SPF" request header turns into R_SPF_* symbols.
/// The hyperscan cache (the ~17 s compile of the top-level-domain list on a first start) lives
/// in one folder per machine, shared by all instances; each instance keeps its own DBDIR
/// (control socket, history). rspamd runs in the foreground (-f) as a child process; stopping
/// sends SIGTERM to its main pid and waits for its workers to go. As root it runs as _rspamd.
/// Missing binary fails loudly: run scripts/install-deps.sh (package rspamd).
/// </summary>
public sealed class RspamdServer : IDisposable
{
    public const string RspamdPath = "/usr/bin/rspamd";
    public const string Gtube = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";
    private const string User = "_rspamd";
    private static readonly string[] DisabledModules =
    [
        "fuzzy_check", "rbl", "multimap", "phishing", "whitelist", "mime_types", "mid", "asn", "dmarc", "dkim", "arc",
        "hfilter", "dkim_signing", "elastic", "metadata_exporter",
    ];
    private static readonly string HsCacheDir = Path.Combine(Path.GetTempPath(), "bulwark-rspamd-hs");

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "bulwark-rspamd-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly StringBuilder _output = new();
    private Process? _process;

    public RspamdServer()
    {
        if (!File.Exists(RspamdPath))
            throw new InvalidOperationException($"{RspamdPath} is missing: run scripts/install-deps.sh (package rspamd)");
        NormalPort = FreePort();
        ControllerPort = FreePort();
        var local = Path.Combine(_dir, "local");
        foreach (var d in new[] { "local/local.d", "local/override.d", "db", "run", "log" }) Directory.CreateDirectory(Path.Combine(_dir, d));
        Directory.CreateDirectory(HsCacheDir);
        var ld = Path.Combine(local, "local.d");
        var od = Path.Combine(local, "override.d");
        File.WriteAllText(Path.Combine(ld, "options.inc"),
            "dns { nameserver = [\"127.0.0.1:9\"]; timeout = 1s; retransmits = 1; }\n" + // 9: discard, closed
            $"hs_cache_dir = \"{HsCacheDir}/\";\n");
        File.WriteAllText(Path.Combine(od, "worker-normal.inc"), $"bind_socket = \"127.0.0.1:{P(NormalPort)}\";\ncount = 1;\n");
        File.WriteAllText(Path.Combine(od, "worker-controller.inc"),
            $"bind_socket = \"127.0.0.1:{P(ControllerPort)}\";\ncount = 1;\nsecure_ip = \"127.0.0.1\";\n");
        File.WriteAllText(Path.Combine(od, "worker-proxy.inc"), $"bind_socket = \"127.0.0.1:{P(FreePort())}\";\ncount = 0;\n");
        foreach (var m in DisabledModules) File.WriteAllText(Path.Combine(ld, m + ".conf"), "enabled = false;\n");
        File.WriteAllText(Path.Combine(ld, "http_headers.conf"), "enabled = true;\n");
        if (IsRoot) Chown(_dir, HsCacheDir);
    }

    public int NormalPort { get; }
    public int ControllerPort { get; }
    /// <summary>The normal worker's base URL, the form RspamdClient takes.</summary>
    public string Url => $"http://127.0.0.1:{P(NormalPort)}";
    public string LogPath => Path.Combine(_dir, "log", "rspamd.log");
    public int? Pid => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>Starts rspamd and waits until the normal worker answers /ping. The first start on
    /// a machine compiles the TLD list (about 17 s): the default wait is 90 s.</summary>
    public RspamdServer Start(TimeSpan? timeout = null)
    {
        if (Pid is not null) return this;
        var psi = new ProcessStartInfo(RspamdPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-f");
        if (IsRoot) { psi.ArgumentList.Add("-u"); psi.ArgumentList.Add(User); psi.ArgumentList.Add("-g"); psi.ArgumentList.Add(User); }
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("/etc/rspamd/rspamd.conf");
        foreach (var (name, sub) in new[] { ("LOCAL_CONFDIR", "local"), ("DBDIR", "db"), ("RUNDIR", "run"), ("LOGDIR", "log") })
            psi.ArgumentList.Add($"--var={name}={Path.Combine(_dir, sub)}");
        var p = Process.Start(psi) ?? throw new InvalidOperationException("rspamd did not start");
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _process = p;
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (DateTime.UtcNow < deadline)
        {
            if (p.HasExited) throw new InvalidOperationException($"rspamd exited with {p.ExitCode}:\n{Output}\n{LogTail()}");
            try
            {
                if (http.GetStringAsync(Url + "/ping").GetAwaiter().GetResult().StartsWith("pong", StringComparison.Ordinal)) return this;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            Thread.Sleep(100);
        }
        Stop();
        throw new TimeoutException($"rspamd did not answer /ping on {Url}:\n{Output}\n{LogTail()}");
    }

    /// <summary>SIGTERM to the main process by its pid, then waits for it and its workers to go.</summary>
    public void Stop()
    {
        var p = _process;
        _process = null;
        if (p is null) return;
        var children = ChildrenOf(p.Id);
        if (!p.HasExited) _ = kill(p.Id, 15);
        if (!p.WaitForExit(15_000)) { p.Kill(entireProcessTree: true); p.WaitForExit(5_000); }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (children.Any(Alive) && DateTime.UtcNow < deadline) Thread.Sleep(50);
        foreach (var c in children.Where(Alive)) _ = kill(c, 9);
        p.Dispose();
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    public string LogTail(int lines = 30)
    {
        try { return string.Join('\n', File.ReadLines(LogPath).TakeLast(lines)); }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }

    public void Dispose()
    {
        Stop();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static bool IsRoot => Environment.UserName == "root" || geteuid() == 0;

    private static string P(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static List<int> ChildrenOf(int pid)
    {
        var result = new List<int>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
                foreach (var s in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    result.Add(int.Parse(s, CultureInfo.InvariantCulture));
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return result;
    }

    /// <summary>Alive and not a zombie (killed daemons can linger as zombies on machines whose
    /// pid 1 does not reap).</summary>
    private static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z" && state != "X";
        }
        catch (IOException) { return false; }
    }

    private static void Chown(params string[] paths)
    {
        var psi = new ProcessStartInfo("chown") { UseShellExecute = false, RedirectStandardError = true };
        psi.ArgumentList.Add("-R");
        psi.ArgumentList.Add($"{User}:{User}");
        foreach (var path in paths) psi.ArgumentList.Add(path);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"chown to {User} failed: {err}");
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    [DllImport("libc")]
    private static extern uint geteuid();
}
